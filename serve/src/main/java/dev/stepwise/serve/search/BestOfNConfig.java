package dev.stepwise.serve.search;

import java.util.Objects;

/**
 * Best-of-N: sample {@code n} complete solutions and pick one.
 *
 * @param n solutions to sample, 1 to 1024
 * @param selection how the pick is made
 * @param aggregate how stepScores combine for {@link Selection#PRM} and {@link Selection#WEIGHTED_VOTE};
 *     ignored by {@link Selection#ORM}
 */
public record BestOfNConfig(int n, Selection selection, StepAggregate aggregate) {

    /** Maximum {@code n}, a guard against unit mistakes such as passing a token count. */
    public static final int MAX_N = 1024;

    /** How Best-of-N picks among its candidates. Candidates without a final answer rank below all others. */
    public enum Selection {
        /** Highest ORM outcomeScore. */
        ORM,
        /** Highest aggregate of PRM stepScores. */
        PRM,
        /**
         * Answers graded equal form a group; the group with the largest sum of PRM aggregates wins, and
         * its member with the highest aggregate is returned.
         */
        WEIGHTED_VOTE;

        /** Parses {@code orm}, {@code prm} or {@code weighted-vote}. */
        public static Selection parse(String name) {
            for (Selection selection : values()) {
                if (selection.name().replace('_', '-').equalsIgnoreCase(name.replace('_', '-'))) {
                    return selection;
                }
            }
            throw new IllegalArgumentException("unknown selection '" + name + "', expected one of orm, prm, weighted-vote");
        }
    }

    public BestOfNConfig {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be in [1, " + MAX_N + "], found " + n);
        }
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(aggregate, "aggregate");
    }
}
