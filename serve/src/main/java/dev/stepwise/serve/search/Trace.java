package dev.stepwise.serve.search;

import java.util.List;
import java.util.Objects;

/**
 * A problem and the solution steps written so far, the unit the reward models score.
 *
 * @param problem the problem text
 * @param steps solution steps in order, without step separators
 */
public record Trace(String problem, List<String> steps) {

    public Trace {
        Objects.requireNonNull(problem, "problem");
        steps = List.copyOf(steps);
    }

    /** Returns this trace with {@code step} appended. */
    public Trace extend(String step) {
        var longer = new java.util.ArrayList<>(steps);
        longer.add(step);
        return new Trace(problem, longer);
    }
}
