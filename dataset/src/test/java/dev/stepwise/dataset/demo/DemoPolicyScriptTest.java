package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPolicyScriptTest {

    private static final List<ArithmeticProblem> PROBLEMS = DemoTraces.problems(DemoConfig.of(4, 1, 7));
    private static final String LIBRARY = PROBLEMS.get(1).text();
    private static final NoisyPolicy NEVER_SLIPS = new NoisyPolicy(0, 0, 0, 0);
    private static final String STEP_1 = "Step 1: 0 + 3 = 3; 3 + 5 = 8; so 30 + 53 = 83";
    private static final String STEP_2 = "Step 2: 3 + 2 = 5; 8 + 6 = 14; so 83 + 62 = 145";
    private static final String STEP_3 = "Step 3: 5 - 0 = 5; 4 - 3 = 1; 1 - 0 = 1; so 145 - 30 = 115";

    @Test
    void writesRemainingLinesAfterPrefix() {
        DemoPolicyScript script = new DemoPolicyScript(PROBLEMS, NEVER_SLIPS, "\n\n");
        assertEquals(STEP_2 + "\n\n" + STEP_3 + "\n\nThe answer is 115",
                script.continuation(LIBRARY + "\n\n" + STEP_1 + "\n\n", 1));
        assertEquals("\n\n" + STEP_2 + "\n\n" + STEP_3 + "\n\nThe answer is 115",
                script.continuation(LIBRARY + "\n\n" + STEP_1, 1));
        assertEquals(STEP_1 + "\n\n" + STEP_2 + "\n\n" + STEP_3 + "\n\nThe answer is 115",
                script.continuation(LIBRARY + "\n\n", 1));
    }

    @Test
    void continuesFromWrittenValueEvenWhenWrong() {
        DemoPolicyScript script = new DemoPolicyScript(PROBLEMS, NEVER_SLIPS, " <step>\n");
        assertEquals("Step 3: 5 - 0 = 5; 3 - 3 = 0; 1 - 0 = 1; so 135 - 30 = 105 <step>\nThe answer is 105",
                script.continuation(LIBRARY + " <step>\nStep 1: 30 + 53 = 83 <step>\nStep 2: 83 + 62 = 135 <step>\n", 1));
    }

    @Test
    void finishedSolutionGivesEmptyText() {
        DemoPolicyScript script = new DemoPolicyScript(PROBLEMS, NEVER_SLIPS, "\n\n");
        String done = LIBRARY + "\n\n" + STEP_1 + "\n\n" + STEP_2 + "\n\n" + STEP_3 + "\n\nThe answer is 115\n\n";
        assertEquals("", script.continuation(done, 1));
    }

    @Test
    void sameSeedSameTextOtherSeedsVary() {
        DemoPolicyScript script = new DemoPolicyScript(PROBLEMS, new NoisyPolicy(0.5, 0.5, 0.5, 0.3), "\n\n");
        String prompt = PROBLEMS.get(0).text() + "\n\n";
        assertEquals(script.continuation(prompt, 42), script.continuation(prompt, 42));
        long distinct = java.util.stream.LongStream.range(0, 20)
                .mapToObj(seed -> script.continuation(prompt, seed)).distinct().count();
        assertTrue(distinct > 1, "20 seeds gave " + distinct + " distinct continuations");
    }

    @Test
    void unknownProblemIsRejected() {
        DemoPolicyScript script = new DemoPolicyScript(PROBLEMS, NEVER_SLIPS, "\n\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> script.continuation("What is 2 + 2?\n\n", 1));
        assertEquals("prompt starts with no known problem: 'What is 2 + 2?'; the script knows 4 problems and"
                + " expects the problem text followed by '\\n\\n'", e.getMessage());
    }
}
