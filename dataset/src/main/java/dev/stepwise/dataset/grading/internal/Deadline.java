package dev.stepwise.dataset.grading.internal;

/**
 * Cooperative stop signal for one grading item. Every loop and recursive step of the extractor,
 * parser and evaluator calls {@link #check()}, so work abandoned by {@code Grader} stops soon after
 * the deadline or an interrupt instead of running on in the background.
 */
public final class Deadline {

    /** A deadline that never passes, for callers without a time limit. */
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** Deadline {@code nanos} nanoseconds from now. */
    public static Deadline after(long nanos) {
        long now = System.nanoTime();
        long end = now + nanos;
        return new Deadline(end < now ? Long.MAX_VALUE : end);
    }

    /** Throws {@link GradingStoppedException} when the deadline has passed or the thread was interrupted. */
    public void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new GradingStoppedException("grading thread was interrupted");
        }
        if (endNanos != Long.MAX_VALUE && System.nanoTime() - endNanos > 0) {
            throw new GradingStoppedException("grading deadline passed");
        }
    }
}
