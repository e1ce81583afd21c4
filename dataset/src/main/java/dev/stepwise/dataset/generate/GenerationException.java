package dev.stepwise.dataset.generate;

/**
 * A generation request that failed for good: either the error is not worth retrying or the retry
 * budget of the {@link GeneratorConfig} ran out.
 */
public final class GenerationException extends RuntimeException {

    /** Failure category; the names are stable because auto-labeling logs store them. */
    public enum Reason {
        /** No complete response within the configured timeout. */
        TIMEOUT,
        /** HTTP 429 on every attempt. */
        RATE_LIMITED,
        /** HTTP 5xx on every attempt. */
        SERVER_ERROR,
        /** The server could not be reached or closed the connection. */
        CONNECTION_FAILED,
        /** HTTP 400, 422 or another 4xx that rejects the request itself. */
        BAD_REQUEST,
        /** HTTP 401 or 403: missing or wrong API key. */
        UNAUTHORIZED,
        /** HTTP 404: wrong base URL or model name. */
        NOT_FOUND,
        /** A 2xx response whose body is not an OpenAI completion response. */
        INVALID_RESPONSE,
        /** The calling thread was interrupted while waiting. */
        INTERRUPTED
    }

    private final Reason reason;
    private final String detail;
    private final int attempts;
    private final int httpStatus;

    /**
     * @param httpStatus the status of the last response, or -1 when no response arrived
     */
    public GenerationException(Reason reason, String message, int attempts, int httpStatus, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.detail = message;
        this.attempts = attempts;
        this.httpStatus = httpStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** Returns the message without the reason prefix. */
    public String detail() {
        return detail;
    }

    /** HTTP attempts made for the failed request, the first one included. */
    public int attempts() {
        return attempts;
    }

    /** Status of the last response, or -1 when the last attempt got none. */
    public int httpStatus() {
        return httpStatus;
    }
}
