package dev.stepwise.dataset;

/**
 * A record that cannot be used, with a short reason code that statistics count.
 *
 * <p>Readers and the tokenize stage throw it for bad input; the pipeline catches it, counts the
 * reason and moves on, so a bad record never stops a run and is never lost silently.
 */
public class RejectedRecordException extends RuntimeException {

    private final String recordId;
    private final String reason;
    /** The message without the record id and reason, kept so that {@link #at} can rebuild it. */
    private final String detail;

    /**
     * @param recordId the record's id, or its line or index in the source when it has no id
     * @param reason   a snake_case code such as {@code no_kept_step}; statistics count by it
     * @param message  what was expected and what was found
     */
    public RejectedRecordException(String recordId, String reason, String message) {
        this(recordId, reason, message, null);
    }

    private RejectedRecordException(String recordId, String reason, String message, String location) {
        super("Record " + recordId + (location == null ? "" : " (" + location + ")") + " rejected (" + reason + "): "
                + message);
        this.recordId = recordId;
        this.reason = reason;
        this.detail = message;
    }

    /**
     * Returns this rejection with its place in the source, such as {@code gsm8k.json:17}, added to the message, for
     * records whose own id does not say where they are.
     */
    public RejectedRecordException at(String location) {
        RejectedRecordException located = new RejectedRecordException(recordId, reason, detail, location);
        located.setStackTrace(getStackTrace());
        return located;
    }

    public String recordId() {
        return recordId;
    }

    public String reason() {
        return reason;
    }
}
