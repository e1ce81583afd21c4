package dev.stepwise.serve.search;

import java.util.Locale;
import java.util.Objects;

/**
 * What adaptive thresholds are calibrated for.
 *
 * @param kind whether {@code value} is a compute budget or an accuracy
 * @param value for {@link Kind#COMPUTE_BUDGET}, average {@link ComputeCost#computeTokens()} per
 *     problem (&gt; 0); for {@link Kind#ACCURACY}, the fraction of problems to answer correctly, in (0, 1]
 */
public record CalibrationTarget(Kind kind, double value) {

    public enum Kind {
        /** Highest accuracy whose average compute stays within the budget. */
        COMPUTE_BUDGET,
        /** Lowest average compute that reaches the accuracy. */
        ACCURACY
    }

    public CalibrationTarget {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.COMPUTE_BUDGET && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("compute budget must be > 0 tokens per problem, found " + value);
        }
        if (kind == Kind.ACCURACY && !(value > 0 && value <= 1)) {
            throw new IllegalArgumentException("target accuracy must be in (0, 1], found " + value);
        }
    }

    public static CalibrationTarget computeBudget(double averageComputeTokens) {
        return new CalibrationTarget(Kind.COMPUTE_BUDGET, averageComputeTokens);
    }

    public static CalibrationTarget accuracy(double fraction) {
        return new CalibrationTarget(Kind.ACCURACY, fraction);
    }

    @Override
    public String toString() {
        return kind == Kind.ACCURACY
                ? String.format(Locale.ROOT, "accuracy %.4f", value)
                : String.format(Locale.ROOT, "compute budget %.1f tokens per problem", value);
    }
}
