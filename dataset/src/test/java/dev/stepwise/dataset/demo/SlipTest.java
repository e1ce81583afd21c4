package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlipTest {

    private static StepEquation step(String text) {
        return StepEquation.parse(text);
    }

    private static String slipped(Slip slip, String intended) {
        Optional<StepEquation> result = slip.apply(step(intended));
        return result.map(StepEquation::text).orElse("none");
    }

    @Test
    void carryDropsCarriesBetweenColumns() {
        assertEquals("Step 1: 7 + 8 = 15, write 5 carry 1; 4 + 3 = 7; so 47 + 38 = 75",
                 slipped(Slip.CARRY, "Step 1: 47 + 38 = 85"));
        assertEquals("Step 2: 5 + 7 = 12, write 2 carry 1; 4 + 6 = 10, write 0 carry 1; 1 + 0 = 1; so 145 + 67 = 102",
                 slipped(Slip.CARRY, "Step 2: 145 + 67 = 212"));
        assertEquals("Step 3: 15 - 9 = 6, borrow 1; 8 - 2 = 6; so 85 - 29 = 66",
                 slipped(Slip.CARRY, "Step 3: 85 - 29 = 56"));
        assertEquals("Step 1: 3 * 8 = 24, write 4 carry 2; 1 * 8 = 8; so 13 * 8 = 84",
                 slipped(Slip.CARRY, "Step 1: 13 * 8 = 104"));
        assertEquals("Step 1: 5 * 3 = 15, write 5 carry 1; 2 * 3 = 6; so 25 * 3 = 65",
                 slipped(Slip.CARRY, "Step 1: 25 * 3 = 75"));
    }

    @Test
    void carryNeedsACarry() {
        assertEquals("none", slipped(Slip.CARRY, "Step 2: 75 + 42 = 117"));
        assertEquals("none", slipped(Slip.CARRY, "Step 1: 12 * 4 = 48"));
        assertEquals("none", slipped(Slip.CARRY, "Step 1: 12 - 30 = -18"));
        assertEquals("none", slipped(Slip.CARRY, "Step 2: 9.8 + 2.5 = 12.3"));
    }

    @Test
    void decimalComparesDigitsAfterPoint() {
        assertEquals("Step 1: max(9.11, 9.8) = 9.11", slipped(Slip.DECIMAL_DIGITWISE, "Step 1: max(9.11, 9.8) = 9.8"));
        assertEquals("Step 1: max(9.8, 9.11) = 9.11", slipped(Slip.DECIMAL_DIGITWISE, "Step 1: max(9.8, 9.11) = 9.8"));
        assertEquals("none", slipped(Slip.DECIMAL_DIGITWISE, "Step 1: max(9.81, 9.7) = 9.81"));
        assertEquals("none", slipped(Slip.DECIMAL_DIGITWISE, "Step 1: max(8.11, 9.8) = 9.8"));
    }

    @Test
    void signFlipsNegativeResults() {
        assertEquals("Step 1: 12 - 30 = 18", slipped(Slip.SIGN, "Step 1: 12 - 30 = -18"));
        assertEquals("Step 2: -18 + 7 = 11", slipped(Slip.SIGN, "Step 2: -18 + 7 = -11"));
        assertEquals("none", slipped(Slip.SIGN, "Step 2: 30 - 12 = 18"));
    }

    @Test
    void copyMiscopiesRunningValueOrOperand() {
        assertEquals("Step 2: 9 + 8 = 17, write 7 carry 1; 1 + 2 + 1 = 4; so 19 + 28 = 47",
                 slipped(Slip.COPY, "Step 2: 91 + 28 = 119"));
        assertEquals("Step 1: 3 * 8 = 24, write 4 carry 2; 1 * 8 + 2 = 10; so 13 * 8 = 104",
                 slipped(Slip.COPY, "Step 1: 13 * 7 = 91"));
        assertEquals("Step 2: 5 - 3 = 2; 4 - 0 = 4; so 45 - 3 = 42", slipped(Slip.COPY, "Step 2: 44 - 3 = 41"));
        assertEquals("Step 2: 8.9 + 2.5 = 11.4", slipped(Slip.COPY, "Step 2: 9.8 + 2.5 = 12.3"));
        assertEquals("Step 2: -81 + 7 = -74", slipped(Slip.COPY, "Step 2: -18 + 7 = -11"));
        assertEquals("Step 2: 1 + 5 = 6; 1 + 0 = 1; so 11 + 5 = 16", slipped(Slip.COPY, "Step 2: 10 + 5 = 15"));
    }

    @Test
    void everySlippedStepIsArithmeticallyWrongOrMiscopied() {
        StepEquation intended = step("Step 1: 47 + 38 = 85");
        assertTrue(!Slip.CARRY.apply(intended).orElseThrow().isArithmeticCorrect());
        assertTrue(Slip.COPY.apply(intended).orElseThrow().isArithmeticCorrect());
    }

    @Test
    void intendedStepWritesEveryCarryAndBorrow() {
        assertEquals("Step 1: 7 + 8 = 15, write 5 carry 1; 4 + 3 + 1 = 8; so 47 + 38 = 85",
                step("Step 1: 47 + 38 = 85").text());
        assertEquals("Step 3: 15 - 9 = 6, borrow 1; 8 - 2 - 1 = 5; so 85 - 29 = 56", step("Step 3: 85 - 29 = 56").text());
        assertEquals("Step 1: 4 * 7 = 28, write 8 carry 2; 3 * 7 + 2 = 23; so 34 * 7 = 238",
                step("Step 1: 34 * 7 = 238").text());
        assertEquals("Step 2: 10 - 9 = 1, borrow 1; 10 - 9 - 1 = 0, borrow 1; 1 - 0 - 1 = 0; so 100 - 99 = 1",
                step("Step 2: 100 - 99 = 1").text());
        assertEquals("Step 2: 5 + 2 = 7; 7 + 4 = 11; so 75 + 42 = 117", step("Step 2: 75 + 42 = 117").text());
        assertEquals("Step 1: 12 - 30 = -18", step("Step 1: 12 - 30 = -18").text());
        assertEquals("Step 1: 7 + 4 = 11", step("Step 1: 7 + 4 = 11").text());
    }

    /**
     * Reads the result off the column work of {@code text}: the last column in full, then the digit
     * each earlier column writes.
     */
    private static BigDecimal resultOfColumns(String text) {
        String[] columns = text.substring(text.indexOf(": ") + 2, text.lastIndexOf("; so ")).split("; ");
        StringBuilder digits = new StringBuilder(columns[columns.length - 1].split(" = ")[1]);
        for (int i = columns.length - 2; i >= 0; i--) {
            String column = columns[i];
            String digit = column.contains(", write ")
                    ? column.split(", write ")[1].substring(0, 1)
                    : column.split(" = ")[1].split(",")[0];
            digits.append(digit);
        }
        return new BigDecimal(digits.toString());
    }

    /**
     * Every intended step and every carry slip parses back from its text to the same step, and its
     * column work adds up to its result.
     */
    @Test
    void workedStepsParseBack() {
        for (Operator operator : List.of(Operator.ADD, Operator.SUBTRACT, Operator.MULTIPLY)) {
            for (int a = 10; a < 250; a += 7) {
                for (int b = 1; b < (operator == Operator.MULTIPLY ? 10 : 90); b += 3) {
                    BigDecimal left = BigDecimal.valueOf(a);
                    BigDecimal right = BigDecimal.valueOf(b);
                    StepEquation intended = new StepEquation(2, operator, left, right, operator.apply(left, right));
                    assertEquals(intended, StepEquation.parse(intended.text()), intended.text());
                    if (intended.text().contains("; so ")) {
                        assertEquals(0, resultOfColumns(intended.text()).compareTo(intended.result()), intended.text());
                    }
                    Optional<StepEquation> slipped = Slip.CARRY.apply(intended);
                    if (slipped.isPresent()) {
                        assertTrue(slipped.get().carriesDropped(), slipped.get().text());
                        assertEquals(slipped.get(), StepEquation.parse(slipped.get().text()), slipped.get().text());
                        assertEquals(0, resultOfColumns(slipped.get().text()).compareTo(slipped.get().result()),
                                slipped.get().text());
                    }
                }
            }
        }
    }
}
