package dev.stepwise.serve.client;

/**
 * A scoring call that failed: an error response from the server, or no response at all.
 *
 * <p>{@code status} is the HTTP status, or 0 when no response arrived. {@code type} is the server's error type
 * (for example {@code too_many_steps} or {@code overloaded}), or {@code connection_failed} and
 * {@code invalid_response} for failures on the client side.
 */
public final class ScoringException extends RuntimeException {

    private final int status;
    private final String type;

    public ScoringException(int status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    /** HTTP status of the error response, 0 when none arrived. */
    public int status() {
        return status;
    }

    /** Error type from the server's JSON body, or a client-side type. */
    public String type() {
        return type;
    }
}
