package dev.stepwise.dataset.grading.internal;

/** Thrown inside the grading machinery when the deadline passed or a size limit was reached. */
public final class GradingStoppedException extends RuntimeException {

    public GradingStoppedException(String message) {
        super(message, null, false, false);
    }
}
