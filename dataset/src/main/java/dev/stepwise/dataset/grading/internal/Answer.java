package dev.stepwise.dataset.grading.internal;

import java.util.List;

/** Parsed structure of one normalised answer. */
sealed interface Answer {

    /** A single number or expression, possibly with variables. */
    record Scalar(Node expression) implements Answer {}

    /**
     * A list, tuple, set, interval or matrix row.
     *
     * @param open the opening bracket: {@code (}, {@code [}, <code>{</code> for a set, or empty for a bare list
     * @param close the closing bracket, empty for a bare list
     * @param elements the elements in written order
     */
    record Collection(String open, String close, List<Answer> elements) implements Answer {

        boolean isSet() {
            return open.equals("{");
        }

        boolean isBare() {
            return open.isEmpty();
        }
    }

    /** A union of intervals, {@code A \cup B}. */
    record Union(List<Answer> parts) implements Answer {}

    /** {@code x = value} or {@code value = x}: compared as its value, or as an equation against an equation. */
    record Assignment(Node.Variable variable, Answer value) implements Answer {}

    /** An equation {@code lhs = rhs} that is not an assignment, kept as {@code lhs - rhs}. */
    record Equation(Node difference) implements Answer {}

    /** Anything else, compared as text after normalisation. */
    record Text(String text) implements Answer {}
}
