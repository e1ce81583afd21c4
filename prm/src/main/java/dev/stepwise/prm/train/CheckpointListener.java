package dev.stepwise.prm.train;

import java.nio.file.Path;

/** Writes a checkpoint every {@code everySteps} optimizer steps (0: never in between) and after the last step. */
public final class CheckpointListener implements TrainingListener {

    private final Path checkpointsDir;
    private final int everySteps;
    private long lastWritten = -1;

    public CheckpointListener(Path checkpointsDir, int everySteps) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be at least 0 steps, found " + everySteps);
        }
        this.checkpointsDir = checkpointsDir;
        this.everySteps = everySteps;
    }

    @Override
    public void onStepEnd(StepReport report, Checkpointer checkpointer) throws Exception {
        if (everySteps > 0 && report.step() % everySteps == 0) {
            checkpointer.writeCheckpoint(checkpointsDir);
            lastWritten = report.step();
        }
    }

    @Override
    public void onTrainingEnd(TrainingSummary summary, Checkpointer checkpointer) throws Exception {
        if (lastWritten != summary.steps()) {
            checkpointer.writeCheckpoint(checkpointsDir);
            lastWritten = summary.steps();
        }
    }
}
