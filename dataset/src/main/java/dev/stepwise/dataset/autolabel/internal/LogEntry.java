package dev.stepwise.dataset.autolabel.internal;

/** One line of the rollout log after the header. */
public sealed interface LogEntry {

    /** Record id the entry belongs to. */
    String record();

    /**
     * Graded completions of one request: samples {@code first .. first + verdicts.length() - 1} of one step.
     *
     * @param verdicts one letter per sample, see {@link Verdicts}
     * @param promptTokens prompt tokens the server reported for the request
     * @param completionTokens completion tokens the server reported for the request
     */
    record Probe(String record, int step, int first, String verdicts, long promptTokens, long completionTokens)
            implements LogEntry {

        public ProbeKey key() {
            return new ProbeKey(record, step, first);
        }
    }

    /**
     * A request that failed after the generator client's retry budget. A later run retries it.
     *
     * @param reason a {@code GenerationException.Reason} name
     */
    record Failed(String record, int step, int first, int count, String reason, String message) implements LogEntry {

        public ProbeKey key() {
            return new ProbeKey(record, step, first);
        }
    }

    /** The direct grade of the whole solution, which labels the last step. */
    record FinalGrade(String record, char verdict) implements LogEntry {
    }

    /** Identity of one request: record id, step index (0-based, the prefix ends with this step) and first sample. */
    record ProbeKey(String record, int step, int first) {
    }
}
