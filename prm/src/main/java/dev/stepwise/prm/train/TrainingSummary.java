package dev.stepwise.prm.train;

import java.util.List;

/**
 * Outcome of {@link RewardTrainer#train}.
 *
 * @param steps optimizer steps completed in the whole run, including steps done before a resume
 * @param losses mean loss of each step run in this call, in order
 * @param tokens input tokens processed in this call
 * @param elapsedNanos wall time of this call
 */
public record TrainingSummary(long steps, List<Double> losses, long tokens, long elapsedNanos) {

    /** Loss of the last step, or NaN when this call ran none. */
    public double lastLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }
}
