package dev.stepwise.prm.train;

/** Thrown by {@link DivergenceGuard} when a step's loss or gradient norm is not finite or the loss explodes. */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long step;

    public TrainingDivergedException(String message, int epoch, long step) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    /** 0-based epoch of the step that diverged. */
    public int epoch() {
        return epoch;
    }

    /** 1-based number of the step that diverged; its update was not applied. */
    public long step() {
        return step;
    }
}
