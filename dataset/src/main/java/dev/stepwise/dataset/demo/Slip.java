package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A mistake that the demo policy makes while writing one step. Each slip is deterministic: applied
 * to the same intended step it gives the same wrong step, so the wrong final answers of many samples
 * cluster the way the systematic errors of real models do, and majority voting can settle on them.
 */
public enum Slip {
    /**
     * Adds, subtracts or multiplies column by column and drops every carry or borrow between columns:
     * {@code 47 + 38 = 75}, {@code 85 - 29 = 66}, {@code 13 * 8 = 84}. The column work still names
     * each carry, and the next column leaves it out: {@code 7 + 8 = 15, write 5 carry 1; 4 + 3 = 7}.
     */
    CARRY,
    /** Compares decimals by the digits after the point as whole numbers: {@code max(9.11, 9.8) = 9.11}. */
    DECIMAL_DIGITWISE,
    /** Writes the result with the opposite sign: {@code 12 - 30 = 18}. */
    SIGN,
    /**
     * Copies a number wrong, swapping its last two digits or changing its last digit, then computes
     * correctly from the wrong number. From step 2 on the running value is miscopied, in step 1 the
     * operand from the problem.
     */
    COPY;

    /**
     * Applies this slip to a correctly computed step.
     *
     * @param intended a step whose arithmetic is correct
     * @return the wrong step, or empty when this slip cannot occur in {@code intended} or would not
     *     change its result
     */
    public Optional<StepEquation> apply(StepEquation intended) {
        Optional<StepEquation> slipped = switch (this) {
            case CARRY -> carry(intended);
            case DECIMAL_DIGITWISE -> digitwiseMax(intended);
            case SIGN -> sign(intended);
            case COPY -> copy(intended);
        };
        return slipped.filter(step -> !sameStep(step, intended));
    }

    private static boolean sameStep(StepEquation a, StepEquation b) {
        return Numbers.same(a.left(), b.left()) && Numbers.same(a.right(), b.right()) && Numbers.same(a.result(), b.result());
    }

    private static Optional<StepEquation> carry(StepEquation step) {
        if (!ColumnWork.applies(step.operator(), step.left(), step.right())) {
            return Optional.empty();
        }
        long a = step.left().longValueExact();
        long b = step.right().longValueExact();
        Long wrong = switch (step.operator()) {
            case ADD -> addWithoutCarry(a, b);
            case SUBTRACT -> a >= b ? subtractWithoutBorrow(a, b) : null;
            case MULTIPLY -> b <= 9 ? multiplyWithoutCarry(a, b) : null;
            case MAX -> null;
        };
        return wrong == null
                ? Optional.empty()
                : Optional.of(new StepEquation(step.index(), step.operator(), step.left(), step.right(),
                        BigDecimal.valueOf(wrong), true));
    }

    // The leading column is written in full (7 + 4 = 11 gives 11 in front), as a person who
    // forgets carries still writes the last column's sum.
    private static long addWithoutCarry(long a, long b) {
        long result = 0;
        long place = 1;
        for (; a >= 10 || b >= 10; place *= 10, a /= 10, b /= 10) {
            result += ((a % 10 + b % 10) % 10) * place;
        }
        return result + (a + b) * place;
    }

    private static long subtractWithoutBorrow(long a, long b) {
        long result = 0;
        for (long place = 1; a > 0 || b > 0; place *= 10, a /= 10, b /= 10) {
            result += Math.floorMod(a % 10 - b % 10, 10) * place;
        }
        return result;
    }

    private static long multiplyWithoutCarry(long a, long digit) {
        long result = 0;
        long place = 1;
        for (; a >= 10; place *= 10, a /= 10) {
            result += ((a % 10) * digit % 10) * place;
        }
        return result + a * digit * place;
    }

    private static Optional<StepEquation> digitwiseMax(StepEquation step) {
        if (step.operator() != Operator.MAX) {
            return Optional.empty();
        }
        BigDecimal a = step.left();
        BigDecimal b = step.right();
        if (a.signum() < 0 || b.signum() < 0 || a.toBigInteger().compareTo(b.toBigInteger()) != 0) {
            return Optional.empty();
        }
        BigInteger fractionA = fractionDigits(a);
        BigInteger fractionB = fractionDigits(b);
        BigDecimal wrong = fractionA.compareTo(fractionB) >= 0 ? a : b;
        return Optional.of(withResult(step, wrong));
    }

    /** The digits after the point read as a whole number: {@code 9.11 -> 11}, {@code 9.8 -> 8}. */
    private static BigInteger fractionDigits(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return BigInteger.ZERO;
        }
        return stripped.remainder(BigDecimal.ONE).movePointRight(stripped.scale()).toBigInteger();
    }

    private static Optional<StepEquation> sign(StepEquation step) {
        BigDecimal correct = step.operator().apply(step.left(), step.right());
        if (step.operator() == Operator.MAX || (step.left().signum() >= 0 && correct.signum() >= 0)) {
            return Optional.empty();
        }
        return Optional.of(withResult(step, correct.negate()));
    }

    private static Optional<StepEquation> copy(StepEquation step) {
        boolean copyLeft = step.index() > 1;
        BigDecimal original = copyLeft ? step.left() : step.right();
        BigDecimal miscopied = miscopy(original);
        BigDecimal left = copyLeft ? miscopied : step.left();
        BigDecimal right = copyLeft ? step.right() : miscopied;
        return Optional.of(new StepEquation(
                step.index(), step.operator(), left, right, step.operator().apply(left, right)));
    }

    /** Swaps the last two digits when they differ ({@code 91 -> 19}), otherwise changes the last digit ({@code 44 -> 45}). */
    static BigDecimal miscopy(BigDecimal value) {
        String text = Numbers.format(value);
        char[] chars = text.toCharArray();
        int last = chars.length - 1;
        int previous = last - 1;
        while (previous >= 0 && !Character.isDigit(chars[previous])) {
            previous--;
        }
        if (previous >= 0 && chars[previous] != chars[last] && !(previous == 0 && chars[last] == '0')) {
            char swap = chars[previous];
            chars[previous] = chars[last];
            chars[last] = swap;
        } else {
            chars[last] = chars[last] == '9' ? '8' : (char) (chars[last] + 1);
        }
        return Numbers.parse(new String(chars));
    }

    private static StepEquation withResult(StepEquation step, BigDecimal result) {
        return new StepEquation(step.index(), step.operator(), step.left(), step.right(), result);
    }
}
