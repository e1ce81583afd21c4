package dev.stepwise.serve.search;

import java.util.Objects;

/**
 * One problem to solve.
 *
 * @param id stable identifier, copied to results
 * @param problem the problem text the generator continues
 * @param referenceAnswer the correct final answer, or null when unknown (evaluation needs it)
 */
public record Problem(String id, String problem, String referenceAnswer) {

    public Problem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        if (problem.isBlank()) {
            throw new IllegalArgumentException("problem text of problem '" + id + "' is blank");
        }
    }
}
