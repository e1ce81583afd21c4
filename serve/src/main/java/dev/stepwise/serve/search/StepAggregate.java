package dev.stepwise.serve.search;

import java.util.List;

/**
 * How a solution's stepScores combine into one number for ranking.
 *
 * <p>{@link #PRODUCT} and {@link #MIN} never rise as steps are added, so they favour short
 * solutions: two steps at 0.97 multiply to 0.9409 and five to 0.8587. Strategies therefore rank
 * candidates without a final answer below every candidate with one before they compare aggregates.
 */
public enum StepAggregate {
    /** The last step's score. */
    LAST,
    /** The lowest step score. */
    MIN,
    /** The product of step scores. */
    PRODUCT,
    /** The arithmetic mean of step scores. */
    MEAN;

    /**
     * Combines {@code stepScores}.
     *
     * @throws IllegalArgumentException when {@code stepScores} is empty
     */
    public double apply(List<Double> stepScores) {
        if (stepScores.isEmpty()) {
            throw new IllegalArgumentException("cannot aggregate an empty list of stepScores with " + this);
        }
        return switch (this) {
            case LAST -> stepScores.get(stepScores.size() - 1);
            case MIN -> stepScores.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case PRODUCT -> stepScores.stream().mapToDouble(Double::doubleValue).reduce(1.0, (a, b) -> a * b);
            case MEAN -> stepScores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        };
    }

    /** Parses a name such as {@code min} or {@code PRODUCT}, naming the choices when it is unknown. */
    public static StepAggregate parse(String name) {
        for (StepAggregate aggregate : values()) {
            if (aggregate.name().equalsIgnoreCase(name)) {
                return aggregate;
            }
        }
        throw new IllegalArgumentException("unknown step aggregate '" + name + "', expected one of last, min, product, mean");
    }
}
