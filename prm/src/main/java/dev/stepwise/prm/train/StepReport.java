package dev.stepwise.prm.train;

/**
 * Numbers of one optimizer step, passed to {@link TrainingListener}s.
 *
 * @param epoch 0-based epoch of the step
 * @param step 1-based number of the step in the whole run
 * @param totalSteps number of optimizer steps the run will take
 * @param loss mean loss over the labelled items of the step, before the update
 * @param gradientNorm global L2 norm of the gradients before clipping
 * @param learningRate rate of this step's update
 * @param tokens input tokens processed by this step (0 when training from cached hidden states)
 * @param elapsedNanos time since the run (or the resumed run) started
 */
public record StepReport(
        int epoch,
        long step,
        long totalSteps,
        double loss,
        double gradientNorm,
        double learningRate,
        long tokens,
        long elapsedNanos) {}
