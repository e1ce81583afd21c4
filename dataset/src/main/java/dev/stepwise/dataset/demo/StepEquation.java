package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One written solution step, {@code Step k: left op right = result}, as the policy wrote it. Where
 * {@link ColumnWork} applies, the step first works through the columns and then states the
 * equation: {@code Step 1: 7 + 8 = 15, write 5 carry 1; 4 + 3 + 1 = 8; so 47 + 38 = 85}. The
 * result may be wrong: {@link #isArithmeticCorrect()} checks it.
 *
 * @param index 1-based step number shown after {@code Step}
 * @param carriesDropped whether the column work leaves out every carry or borrow, as {@link Slip#CARRY}
 *     does; only true for a step with column work
 */
public record StepEquation(
        int index, Operator operator, BigDecimal left, BigDecimal right, BigDecimal result, boolean carriesDropped) {
    private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?)";
    private static final String PREFIX = "Step (\\d+): (?:(.+); so )?";
    private static final Pattern BINARY =
            Pattern.compile(PREFIX + NUMBER + " ([-+*]) " + NUMBER + " = " + NUMBER);
    private static final Pattern MAX =
            Pattern.compile(PREFIX + "max\\(" + NUMBER + ", " + NUMBER + "\\) = " + NUMBER);

    public StepEquation {
        if (index < 1) {
            throw new IllegalArgumentException("step index must be >= 1, found " + index);
        }
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(result, "result");
        if (carriesDropped && !ColumnWork.applies(operator, left, right)) {
            throw new IllegalArgumentException("carries can only be dropped in a step with column work, not in "
                    + operator.formatExpression(left, right));
        }
    }

    /** Creates a step whose column work, if it has any, keeps every carry and borrow. */
    public StepEquation(int index, Operator operator, BigDecimal left, BigDecimal right, BigDecimal result) {
        this(index, operator, left, right, result, false);
    }

    /** Returns whether {@code result} equals {@code left op right}. */
    public boolean isArithmeticCorrect() {
        return Numbers.same(result, operator.apply(left, right));
    }

    /**
     * The step text, for example {@code Step 2: 1 + 8 = 9; 9 + 2 = 11; so 91 + 28 = 119} or
     * {@code Step 1: 12 - 30 = -18}.
     */
    public String text() {
        String work = ColumnWork.applies(operator, left, right)
                ? ColumnWork.write(operator, left, right, carriesDropped) + "; so "
                : "";
        return "Step " + index + ": " + work + operator.formatExpression(left, right) + " = " + Numbers.format(result);
    }

    /**
     * Parses a step written by {@link #text()}, ignoring surrounding whitespace. A step may leave out
     * its column work, but column work that is written must be the one {@link #text()} writes for the
     * equation, with or without carries.
     *
     * @throws IllegalArgumentException when {@code text} is not a step equation or its column work does
     *     not belong to its equation, quoting it
     */
    public static StepEquation parse(String text) {
        String trimmed = text.strip();
        Matcher binary = BINARY.matcher(trimmed);
        if (binary.matches()) {
            return withWork(text, binary.group(2),
                    Integer.parseInt(binary.group(1)),
                    Operator.fromSymbol(binary.group(4)),
                    Numbers.parse(binary.group(3)),
                    Numbers.parse(binary.group(5)),
                    Numbers.parse(binary.group(6)));
        }
        Matcher max = MAX.matcher(trimmed);
        if (max.matches()) {
            return withWork(text, max.group(2),
                    Integer.parseInt(max.group(1)),
                    Operator.MAX,
                    Numbers.parse(max.group(3)),
                    Numbers.parse(max.group(4)),
                    Numbers.parse(max.group(5)));
        }
        throw new IllegalArgumentException("not a step equation: '" + text
                + "'; expected 'Step K: A op B = C', 'Step K: max(A, B) = C' or 'Step K: <column work>; so A op B = C'");
    }

    private static StepEquation withWork(String text, String work, int index, Operator operator, BigDecimal left,
            BigDecimal right, BigDecimal result) {
        if (work == null) {
            return new StepEquation(index, operator, left, right, result);
        }
        if (ColumnWork.applies(operator, left, right)) {
            if (work.equals(ColumnWork.write(operator, left, right, false))) {
                return new StepEquation(index, operator, left, right, result, false);
            }
            if (work.equals(ColumnWork.write(operator, left, right, true))) {
                return new StepEquation(index, operator, left, right, result, true);
            }
        }
        throw new IllegalArgumentException("column work does not belong to its equation in '" + text
                + "'; expected the work of " + operator.formatExpression(left, right) + " column by column");
    }
}
