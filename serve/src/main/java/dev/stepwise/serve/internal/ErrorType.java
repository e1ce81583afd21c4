package dev.stepwise.serve.internal;

/**
 * The service's error vocabulary. Every error response has one of these types and its status, with the body
 * {@code {"error": message, "type": type}} and, for a limit, {@code "limit"} and {@code "value"}.
 */
public enum ErrorType {
    /** The body is not valid JSON (including NaN or Infinity literals). */
    INVALID_JSON(400),
    /** The body is JSON of the wrong shape: a missing field, a wrong type, an empty step. */
    INVALID_REQUEST(422),
    /** A compatibility route received a list that could be read two ways (a batch or a text pair). */
    AMBIGUOUS_INPUT(422),
    /** A request that names a model of the wrong kind for the route (an ORM on a PRM route). */
    WRONG_MODEL_KIND(422),
    /** Missing or wrong bearer token. */
    UNAUTHORIZED(401),
    /** No model of that name is loaded. */
    MODEL_NOT_FOUND(404),
    /** No route has that path. */
    NOT_FOUND(404),
    /** The path exists for another HTTP method. */
    METHOD_NOT_ALLOWED(405),
    /** A form or multipart body; the service reads JSON only. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The body exceeds the body size limit. */
    BODY_TOO_LARGE(413),
    /** More items in one request than the limit. */
    TOO_MANY_ITEMS(413),
    /** More steps in one item than the limit. */
    TOO_MANY_STEPS(413),
    /** An item longer than the input token limit, and truncation was not requested or cannot help. */
    TOO_MANY_TOKENS(413),
    /** Too many requests in flight or a full queue; retry after {@code Retry-After} seconds. */
    OVERLOADED(429),
    /** The request passed its server-side deadline. */
    TIMEOUT(504),
    /** The server is stopping and takes no new requests. */
    SHUTTING_DOWN(503),
    /** The model produced NaN or an infinite score; nothing is written for it. */
    NON_FINITE_SCORE(500),
    /** The model failed while scoring a batch; every request in that batch receives this error. */
    BACKEND_ERROR(500),
    /** A defect of the server itself. */
    INTERNAL_ERROR(500),
    /** The client closed the connection before the response; counted in metrics, never sent (nginx's status 499). */
    CLIENT_CLOSED(499);

    private final int status;

    ErrorType(int status) {
        this.status = status;
    }

    /** HTTP status of responses with this type. */
    public int status() {
        return status;
    }

    /** Returns the type as written in JSON bodies and metric labels, for example {@code too_many_steps}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
