package dev.stepwise.dataset.autolabel.internal;

/** Supplies the rollout counts of a step, by sampling or from the log. */
@FunctionalInterface
public interface ProbeSource {

    /**
     * Returns the counts of all N rollouts from the prefix that ends with {@code step}.
     *
     * @throws ProbeFailedException when a request of this step failed after its retries
     */
    Counts probe(Trace trace, int step) throws ProbeFailedException;

    /** A step whose rollouts could not be generated. */
    final class ProbeFailedException extends Exception {
        private final String reason;

        public ProbeFailedException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** Returns the {@code GenerationException.Reason} name. */
        public String reason() {
            return reason;
        }
    }
}
