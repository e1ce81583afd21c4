package dev.stepwise.dataset.generate;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link GeneratorClient}: where the OpenAI-compatible server is and how hard to try.
 *
 * <p>{@code baseUrl} follows the OpenAI SDK convention and ends in the API version, for example
 * {@code http://127.0.0.1:8000/v1}; the client appends {@code /completions} or
 * {@code /chat/completions}. A URL without a path gets {@code /v1} appended.
 *
 * @param baseUrl absolute http or https URL of the API root
 * @param model model name sent in every request (vLLM: the served model name)
 * @param apiKeyEnv name of the environment variable that contains the API key, or null to send no
 *     {@code Authorization} header; the key itself never appears in this record
 * @param timeout limit for one HTTP attempt, connection and full response included
 * @param maxRetries retries after the first attempt for 429, 5xx, timeouts and connection failures
 * @param backoffBase first back-off ceiling; attempt k waits a uniform random time in
 *     [0, min(backoffMax, backoffBase * 2^k)] unless the server sent {@code Retry-After}
 * @param backoffMax largest back-off ceiling
 * @param maxConcurrency HTTP requests in flight at once, over all threads that share the client
 * @param endpoint which OpenAI endpoint receives the requests
 */
public record GeneratorConfig(
        URI baseUrl,
        String model,
        String apiKeyEnv,
        Duration timeout,
        int maxRetries,
        Duration backoffBase,
        Duration backoffMax,
        int maxConcurrency,
        Endpoint endpoint) {

    /** The OpenAI endpoint family. */
    public enum Endpoint {
        /** {@code POST /completions} with a text prompt; the completion continues the prompt. */
        COMPLETIONS,
        /** {@code POST /chat/completions}; a text prompt is sent as one user message. */
        CHAT
    }

    /** Default timeout of one attempt: long generations on a busy server take minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    /** Default retries after the first attempt. */
    public static final int DEFAULT_MAX_RETRIES = 6;
    /** Default first back-off ceiling. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);
    /** Default largest back-off ceiling. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);
    /** Default requests in flight. */
    public static final int DEFAULT_MAX_CONCURRENCY = 16;

    public GeneratorConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        baseUrl = normalizeBaseUrl(baseUrl);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be a non-empty model name, found: " + quote(model));
        }
        if (apiKeyEnv != null && apiKeyEnv.isBlank()) {
            throw new IllegalArgumentException("apiKeyEnv must be an environment variable name or null, found a blank string");
        }
        requirePositive("timeout", timeout);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, found: " + maxRetries);
        }
        requirePositive("backoffBase", backoffBase);
        requirePositive("backoffMax", backoffMax);
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException(
                    "backoffMax must be >= backoffBase, found backoffMax=" + backoffMax + " backoffBase=" + backoffBase);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, found: " + maxConcurrency);
        }
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** Returns a configuration with the documented defaults, the COMPLETIONS endpoint and no API key. */
    public static GeneratorConfig defaults(String baseUrl, String model) {
        return new GeneratorConfig(parseUrl(baseUrl), model, null, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES,
                DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX, DEFAULT_MAX_CONCURRENCY, Endpoint.COMPLETIONS);
    }

    public GeneratorConfig withEndpoint(Endpoint value) {
        return new GeneratorConfig(baseUrl, model, apiKeyEnv, timeout, maxRetries, backoffBase, backoffMax,
                maxConcurrency, value);
    }

    public GeneratorConfig withApiKeyEnv(String value) {
        return new GeneratorConfig(baseUrl, model, value, timeout, maxRetries, backoffBase, backoffMax,
                maxConcurrency, endpoint);
    }

    public GeneratorConfig withTimeout(Duration value) {
        return new GeneratorConfig(baseUrl, model, apiKeyEnv, value, maxRetries, backoffBase, backoffMax,
                maxConcurrency, endpoint);
    }

    public GeneratorConfig withRetries(int retries, Duration base, Duration max) {
        return new GeneratorConfig(baseUrl, model, apiKeyEnv, timeout, retries, base, max, maxConcurrency, endpoint);
    }

    public GeneratorConfig withMaxConcurrency(int value) {
        return new GeneratorConfig(baseUrl, model, apiKeyEnv, timeout, maxRetries, backoffBase, backoffMax, value,
                endpoint);
    }

    /** Parses a base URL given as text, for example a command-line flag. */
    public static URI parseUrl(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL such as http://127.0.0.1:8000/v1, found: "
                    + quote(text));
        }
        try {
            return new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + quote(text) + " (" + e.getMessage() + ")", e);
        }
    }

    private static URI normalizeBaseUrl(URI url) {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "baseUrl must be an absolute http(s) URL such as http://127.0.0.1:8000/v1, found: " + url);
        }
        if (url.getQuery() != null || url.getFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment, found: " + url);
        }
        String path = url.getPath() == null ? "" : url.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            path = "/v1";
        }
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, found: " + value);
        }
    }

    private static String quote(String text) {
        return text == null ? "null" : "'" + text + "'";
    }
}
