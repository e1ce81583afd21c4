package dev.stepwise.prm.train;

/**
 * Side effects of training (progress, metrics, divergence stop, checkpoints). Methods run on the training
 * thread; an exception thrown from any of them stops the run and reaches the caller of {@link RewardTrainer#train}.
 */
public interface TrainingListener {

    /** Called once before the first step, with the total number of optimizer steps and the first step to run. */
    default void onTrainingStart(long totalSteps, long firstStep) {}

    /** Called after backward and clipping and before the optimizer update; throw to stop without the update. */
    default void beforeUpdate(StepReport report) {}

    /** Called after the optimizer update of a step. */
    default void onStepEnd(StepReport report, Checkpointer checkpointer) throws Exception {}

    /** Called once after the last step when no listener stopped the run. */
    default void onTrainingEnd(TrainingSummary summary, Checkpointer checkpointer) throws Exception {}
}
