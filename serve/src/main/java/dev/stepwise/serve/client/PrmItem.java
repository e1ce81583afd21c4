package dev.stepwise.serve.client;

import java.util.List;

/**
 * One solution to score step by step. The server applies the model's prompt format and step separator, so steps
 * are plain text without tags.
 *
 * @param problem the problem statement
 * @param steps the reasoning steps in order, at least one, none empty
 */
public record PrmItem(String problem, List<String> steps) {

    public PrmItem {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("steps must hold at least one step, found: " + steps);
        }
        steps = List.copyOf(steps);
    }

    /** Returns this item with one more step appended, the usual call of a search that extends a partial solution. */
    public PrmItem withStep(String step) {
        List<String> extended = new java.util.ArrayList<>(steps);
        extended.add(step);
        return new PrmItem(problem, extended);
    }
}
