package dev.stepwise.prm.train;

/**
 * Stops training before the update of a step whose loss or gradient norm is NaN or infinite, or whose loss
 * exceeds {@code explosionFactor} times the lowest loss seen so far. The exception names the epoch, the step and
 * the last finite loss.
 */
public final class DivergenceGuard implements TrainingListener {

    private final double explosionFactor;
    private double lowestLoss = Double.POSITIVE_INFINITY;
    private double lastFiniteLoss = Double.NaN;

    /** @param explosionFactor ratio to the lowest loss that counts as divergence, greater than 1; infinity disables it */
    public DivergenceGuard(double explosionFactor) {
        if (!(explosionFactor > 1)) {
            throw new IllegalArgumentException("explosionFactor must be greater than 1, found " + explosionFactor);
        }
        this.explosionFactor = explosionFactor;
    }

    @Override
    public void beforeUpdate(StepReport report) {
        double loss = report.loss();
        if (!Double.isFinite(loss) || !Double.isFinite(report.gradientNorm())) {
            throw diverged("loss " + loss + ", gradient norm " + report.gradientNorm(), report);
        }
        if (lowestLoss > 0 && loss > explosionFactor * lowestLoss) {
            throw diverged("loss " + loss + " exceeds " + explosionFactor + " × the lowest loss " + lowestLoss,
                    report);
        }
        lowestLoss = Math.min(lowestLoss, loss);
        lastFiniteLoss = loss;
    }

    private TrainingDivergedException diverged(String what, StepReport report) {
        return new TrainingDivergedException("training diverged at epoch " + report.epoch() + ", step "
                + report.step() + ": " + what + "; last finite loss " + lastFiniteLoss
                + "; the update was not applied, resume from the last checkpoint with a lower learning rate",
                report.epoch(), report.step());
    }
}
