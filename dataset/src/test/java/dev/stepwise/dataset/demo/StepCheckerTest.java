package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.dataset.TraceRecord;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepCheckerTest {

    private static final ArithmeticProblem INVENTORY = new ArithmeticProblem(
            "p", "A library has 45 books.", ProblemFamily.INVENTORY, new BigDecimal("45"),
            List.of(new Operation(Operator.ADD, new BigDecimal("65")),
                    new Operation(Operator.ADD, new BigDecimal("44")),
                    new Operation(Operator.SUBTRACT, new BigDecimal("52"))));

    @Test
    void solutionChainsRunningValue() {
        assertEquals(List.of("Step 1: 5 + 5 = 10, write 0 carry 1; 4 + 6 + 1 = 11; so 45 + 65 = 110",
                        "Step 2: 0 + 4 = 4; 1 + 4 = 5; 1 + 0 = 1; so 110 + 44 = 154",
                        "Step 3: 4 - 2 = 2; 5 - 5 = 0; 1 - 0 = 1; so 154 - 52 = 102"),
                INVENTORY.solution().stream().map(StepEquation::text).toList());
        assertEquals("102", INVENTORY.referenceAnswer());
    }

    @Test
    void correctSolutionIsAllOnes() {
        List<String> lines = List.of("Step 1: 45 + 65 = 110", "Step 2: 110 + 44 = 154", "Step 3: 154 - 52 = 102",
                "The answer is 102");
        assertEquals(List.of(true, true, true, true), StepChecker.check(INVENTORY, lines));
        TraceRecord record = DemoTraces.label(INVENTORY, "p-s0", lines);
        assertArrayEquals(new float[] {1, 1, 1, 1}, record.stepLabels());
        assertEquals("102", record.finalAnswer());
        assertEquals(1f, record.outcomeLabel());
    }

    @Test
    void miscopiedStepAndEverythingAfterIsWrong() {
        List<String> lines = List.of("Step 1: 45 + 65 = 110", "Step 2: 110 + 44 = 154", "Step 3: 145 - 52 = 93",
                "The answer is 93");
        assertEquals(List.of(true, true, false, true), StepChecker.check(INVENTORY, lines));
        TraceRecord record = DemoTraces.label(INVENTORY, "p-s1", lines);
        assertArrayEquals(new float[] {1, 1, 0, 0}, record.stepLabels());
        assertEquals("93", record.finalAnswer());
        assertEquals("102", record.referenceAnswer());
        assertEquals(0f, record.outcomeLabel());
        assertEquals(DemoTraces.SOURCE, record.source());
    }

    @Test
    void carryErrorPropagatesAsValidStepsOnWrongValue() {
        List<String> lines = List.of("Step 1: 45 + 65 = 100", "Step 2: 100 + 44 = 144", "Step 3: 144 - 52 = 92",
                "The answer is 92");
        assertEquals(List.of(false, true, true, true), StepChecker.check(INVENTORY, lines));
        assertArrayEquals(new float[] {0, 0, 0, 0}, DemoTraces.label(INVENTORY, "p-s2", lines).stepLabels());
    }

    @Test
    void droppedCarryInColumnWorkIsInvalid() {
        List<String> lines = List.of("Step 1: 5 + 5 = 10, write 0 carry 1; 4 + 6 = 10; so 45 + 65 = 100",
                "Step 2: 0 + 4 = 4; 0 + 4 = 4; 1 + 0 = 1; so 100 + 44 = 144");
        assertEquals(List.of(false, true), StepChecker.check(INVENTORY, lines));
        assertArrayEquals(new float[] {0, 0}, DemoTraces.label(INVENTORY, "p-s3", lines).stepLabels());
    }

    @Test
    void columnWorkOfAnotherEquationIsInvalid() {
        String work = "Step 1: 5 + 5 = 10, write 0 carry 1; 4 + 6 + 1 = 11; so 45 + 65 = 110";
        assertEquals(List.of(true), StepChecker.check(INVENTORY, List.of(work)));
        assertEquals(List.of(false), StepChecker.check(INVENTORY, List.of(work.replace("4 + 6 + 1", "4 + 5 + 1"))));
        assertEquals(List.of(false), StepChecker.check(INVENTORY, List.of(work.replace("so 45", "so 46"))));
    }

    @Test
    void wrongOperandWrongNumberAndGarbageAreInvalid() {
        assertEquals(List.of(false), StepChecker.check(INVENTORY, List.of("Step 1: 45 + 56 = 101")));
        assertEquals(List.of(false), StepChecker.check(INVENTORY, List.of("Step 2: 45 + 65 = 110")));
        assertEquals(List.of(false), StepChecker.check(INVENTORY, List.of("Step 1: 45 - 65 = -20")));
        assertEquals(List.of(false), StepChecker.check(INVENTORY, List.of("forty-five plus sixty-five")));
        List<String> wrongAnswer = List.of("Step 1: 45 + 65 = 110", "Step 2: 110 + 44 = 154", "Step 3: 154 - 52 = 102",
                "The answer is 120");
        assertEquals(List.of(true, true, true, false), StepChecker.check(INVENTORY, wrongAnswer));
    }

    @Test
    void parseRejectsNonEquationNamingText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepEquation.parse("Step 1: 4 / 2 = 2"));
        assertEquals("not a step equation: 'Step 1: 4 / 2 = 2'; expected 'Step K: A op B = C', 'Step K: max(A, B) = C'"
                + " or 'Step K: <column work>; so A op B = C'",
                e.getMessage());
    }
}
