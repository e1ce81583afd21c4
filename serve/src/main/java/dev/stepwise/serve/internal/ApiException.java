package dev.stepwise.serve.internal;

/**
 * An error that becomes one HTTP response of its {@link ErrorType}. {@code limit} and {@code value} are set for
 * limit violations and are -1 otherwise. {@code value} is also -1 for a violation whose value is not known, such as
 * the size of a chunked body that the server stopped reading.
 */
public final class ApiException extends RuntimeException {

    private final ErrorType type;
    private final long limit;
    private final long value;

    public ApiException(ErrorType type, String message) {
        this(type, message, -1, -1, null);
    }

    public ApiException(ErrorType type, String message, Throwable cause) {
        this(type, message, -1, -1, cause);
    }

    private ApiException(ErrorType type, String message, long limit, long value, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.limit = limit;
        this.value = value;
    }

    /** Creates an error for a value over a configured limit. The message names both. */
    public static ApiException overLimit(ErrorType type, String message, long limit, long value) {
        return new ApiException(type, message, limit, value, null);
    }

    public ErrorType type() {
        return type;
    }

    public long limit() {
        return limit;
    }

    public long value() {
        return value;
    }
}
