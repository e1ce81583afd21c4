package dev.stepwise.serve.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking client of the scoring service, for search strategies that score many partial solutions.
 *
 * <p>A response of 429 (overloaded) or 503 (not ready, shutting down) is retried after the server's
 * {@code Retry-After} delay, capped by {@link Builder#maxRetryDelay}, up to {@link Builder#maxAttempts} attempts in
 * all. Other errors throw {@link ScoringException} at once. Results come back in the order of the items.
 *
 * <p>Thread-safe: one client can serve many threads, and it shares one connection pool between them.
 */
public final class ScoringClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final String model;
    private final String apiKey;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final Duration maxRetryDelay;
    private final HttpClient http;

    private ScoringClient(Builder builder) {
        this.baseUri = builder.baseUri;
        this.model = builder.model;
        this.apiKey = builder.apiKey;
        this.maxAttempts = builder.maxAttempts;
        this.requestTimeout = builder.requestTimeout;
        this.maxRetryDelay = builder.maxRetryDelay;
        // HTTP/1.1 opens one connection per concurrent call; the default HTTP/2 upgrade over plain http makes
        // concurrent first calls wait for each other.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Creates a client with default settings for the server at {@code baseUri}, such as {@code http://127.0.0.1:8080}. */
    public static ScoringClient create(URI baseUri) {
        return builder(baseUri).build();
    }

    /** Starts a builder for the server at {@code baseUri}. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /** Scores every step of each item with one request to {@code POST /v1/prm/score}. */
    public List<PrmResult> scorePrm(List<PrmItem> items) {
        return parsePrmResults(post("/v1/prm/score", prmBody(items)), items.size());
    }

    /**
     * Scores each item through the server's prefix cache ({@code POST /v1/prm/score_incremental}): the tokens of
     * steps that an earlier call already scored are reused, so extending a solution by one step costs only the
     * tokens of that step. The scores equal those of {@link #scorePrm} within 1e-5.
     */
    public List<PrmResult> scorePrmIncremental(List<PrmItem> items) {
        return scorePrmIncremental(items, null);
    }

    /**
     * Scores each item through the server's prefix cache like {@link #scorePrmIncremental(List)}, reusing only
     * tokens that earlier requests of {@code cacheNamespace} scored. A search run that sends a namespace of its own
     * reports the same scored tokens whatever ran on the server before it.
     *
     * @param cacheNamespace 1 to 256 characters, or null for the server's default namespace
     */
    public List<PrmResult> scorePrmIncremental(List<PrmItem> items, String cacheNamespace) {
        ObjectNode body = prmBody(items);
        if (cacheNamespace != null) {
            body.put("cache_namespace", cacheNamespace);
        }
        return parsePrmResults(post("/v1/prm/score_incremental", body), items.size());
    }

    /** Scores one item through the server's prefix cache, see {@link #scorePrmIncremental(List)}. */
    public PrmResult scorePrmIncremental(PrmItem item) {
        return scorePrmIncremental(List.of(item)).get(0);
    }

    /** Scores each final answer with one request to {@code POST /v1/orm/score}. */
    public List<OrmResult> scoreOrm(List<OrmItem> items) {
        ObjectNode body = newBody();
        ArrayNode array = body.putArray("items");
        for (OrmItem item : items) {
            array.addObject().put("problem", item.problem()).put("answer", item.answer());
        }
        JsonNode response = post("/v1/orm/score", body);
        JsonNode results = resultsOf(response, items.size());
        List<OrmResult> out = new ArrayList<>(items.size());
        for (JsonNode result : results) {
            out.add(new OrmResult((float) number(result, "score"), (int) number(result, "computed_tokens")));
        }
        return out;
    }

    @Override
    public void close() {
        // java.net.http.HttpClient is AutoCloseable only from Java 21; on 17 its pool ends with the last reference.
    }

    private ObjectNode newBody() {
        ObjectNode body = JSON.createObjectNode();
        if (model != null) {
            body.put("model", model);
        }
        return body;
    }

    private ObjectNode prmBody(List<PrmItem> items) {
        ObjectNode body = newBody();
        ArrayNode array = body.putArray("items");
        for (PrmItem item : items) {
            ObjectNode node = array.addObject().put("problem", item.problem());
            ArrayNode steps = node.putArray("steps");
            item.steps().forEach(steps::add);
        }
        return body;
    }

    private static List<PrmResult> parsePrmResults(JsonNode response, int expected) {
        JsonNode results = resultsOf(response, expected);
        List<PrmResult> out = new ArrayList<>(expected);
        for (JsonNode result : results) {
            out.add(parsePrmResult(result));
        }
        return out;
    }

    private static PrmResult parsePrmResult(JsonNode result) {
        JsonNode scores = result.path("step_scores");
        int scored = 0;
        while (scored < scores.size() && scores.get(scored).isNumber()) {
            scored++;
        }
        float[] stepScores = new float[scored];
        for (int i = 0; i < scored; i++) {
            stepScores[i] = scores.get(i).floatValue();
        }
        return new PrmResult(stepScores, scores.size(), (float) number(result, "min"), (float) number(result, "last"),
                (float) number(result, "product"), (int) number(result, "first_error_step"),
                result.path("truncated").asBoolean(false), (int) number(result, "computed_tokens"),
                (int) number(result, "reused_tokens"));
    }

    private static JsonNode resultsOf(JsonNode response, int expected) {
        JsonNode results = response.path("results");
        if (!results.isArray() || results.size() != expected) {
            throw new ScoringException(0, "invalid_response",
                    "expected 'results' with " + expected + " entries, found: " + abbreviate(response.toString()), null);
        }
        return results;
    }

    private static double number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isNumber()) {
            throw new ScoringException(0, "invalid_response",
                    "expected a number at '" + key + "', found: " + abbreviate(node.toString()), null);
        }
        return value.doubleValue();
    }

    private JsonNode post(String path, ObjectNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the request body, this is a bug", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return sendWithRetries(request.build());
    }

    private JsonNode sendWithRetries(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = send(request);
            int status = response.statusCode();
            if (status == 200) {
                return parse(response);
            }
            boolean retryable = status == 429 || status == 503;
            if (!retryable || attempt >= maxAttempts) {
                throw errorOf(response);
            }
            Duration delay = retryDelay(response, attempt);
            LOG.debug("{} from {} on attempt {} of {}, retrying in {} ms", status, request.uri(), attempt, maxAttempts,
                    delay.toMillis());
            sleep(delay);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ScoringException(0, "connection_failed", "request to " + request.uri() + " failed: "
                    + describeConnectionFailure(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException(0, "interrupted", "interrupted while waiting for " + request.uri(), e);
        }
    }

    /**
     * Names the cause of a failed request by its class and message. java.net.http often throws a
     * {@link java.net.ConnectException} with a null message, so the text names the class and the first cause that has
     * a message.
     */
    private static String describeConnectionFailure(IOException e) {
        StringBuilder text = new StringBuilder(e.getClass().getName());
        Throwable withMessage = e;
        while (withMessage != null && withMessage.getMessage() == null) {
            withMessage = withMessage.getCause();
        }
        if (withMessage != null) {
            text.append(": ").append(withMessage == e ? "" : withMessage.getClass().getName() + ": ")
                    .append(withMessage.getMessage());
        }
        return text.toString();
    }

    private Duration retryDelay(HttpResponse<String> response, int attempt) {
        long seconds = response.headers().firstValue("Retry-After").map(ScoringClient::parseSeconds).orElse(-1L);
        Duration delay = seconds >= 0 ? Duration.ofSeconds(seconds) : Duration.ofMillis(100L << Math.min(attempt, 6));
        if (delay.isZero()) {
            delay = Duration.ofMillis(50);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }

    private static long parseSeconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException(0, "interrupted", "interrupted while waiting to retry", e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ScoringException(response.statusCode(), "invalid_response",
                    "response from " + response.uri() + " is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private static ScoringException errorOf(HttpResponse<String> response) {
        String type = "http_" + response.statusCode();
        String message = abbreviate(response.body());
        try {
            JsonNode body = JSON.readTree(response.body());
            type = body.path("type").asText(type);
            message = body.path("error").asText(message);
        } catch (JsonProcessingException e) {
            // Keep the raw body as the message: a proxy in between may respond with HTML.
        }
        return new ScoringException(response.statusCode(), type,
                response.statusCode() + " from " + response.uri() + ": " + message, null);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** Settings of a {@link ScoringClient}. */
    public static final class Builder {
        private final URI baseUri;
        private String model;
        private String apiKey;
        private int maxAttempts = 5;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration maxRetryDelay = Duration.ofSeconds(5);

        private Builder(URI baseUri) {
            if (baseUri == null || baseUri.getScheme() == null || baseUri.getHost() == null) {
                throw new IllegalArgumentException("baseUri must be an absolute http URI such as http://127.0.0.1:8080, "
                        + "found: " + baseUri);
            }
            this.baseUri = baseUri;
        }

        /** Model name sent with every request; null (the default) lets the server pick its only model of the kind. */
        public Builder model(String name) {
            this.model = name;
            return this;
        }

        /** Bearer token for a server started with an API key; null (the default) sends none. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** Attempts per call including the first, at least 1; default 5. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, found: " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Time limit of one attempt; default 60 s. */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, found: " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Upper bound of the wait before a retry, whatever {@code Retry-After} requests; default 5 s. */
        public Builder maxRetryDelay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("maxRetryDelay must be zero or positive, found: " + delay);
            }
            this.maxRetryDelay = delay;
            return this;
        }

        public ScoringClient build() {
            return new ScoringClient(this);
        }
    }
}
