package dev.stepwise.prm.train;

/**
 * Linear warm-up followed by cosine decay, indexed by optimizer step s (0-based).
 *
 * <p>For s &lt; warmupSteps the rate is {@code peak·(s+1)/warmupSteps}; afterwards it falls from {@code peak} to
 * {@code minimum} along half a cosine that ends at step {@code totalSteps − 1}.
 *
 * @param peak learning rate at the end of warm-up, greater than 0
 * @param minimum learning rate at the last step, in [0, peak]
 * @param warmupSteps number of warm-up steps, in [0, totalSteps)
 * @param totalSteps number of optimizer steps of the whole run, at least 1
 */
public record LearningRateSchedule(double peak, double minimum, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || !Double.isFinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be finite and > 0, found " + peak);
        }
        if (!(minimum >= 0 && minimum <= peak)) {
            throw new IllegalArgumentException("minimum learning rate must be in [0, " + peak + "], found " + minimum);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be at least 1, found " + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps >= totalSteps && totalSteps > 1) {
            throw new IllegalArgumentException(
                    "warmupSteps must be in [0, " + totalSteps + "), found " + warmupSteps);
        }
    }

    /** Returns the learning rate of optimizer step {@code step} (0-based). */
    public double rateAt(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps - 1;
        if (decaySteps <= 0) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return minimum + (peak - minimum) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
