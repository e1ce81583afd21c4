package dev.stepwise.dataset.generate;

import dev.stepwise.dataset.generate.GenerationException.Reason;
import dev.stepwise.dataset.generate.internal.Backoff;
import dev.stepwise.dataset.generate.internal.OpenAiJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for OpenAI-compatible text generation servers (vLLM, SGLang, Ollama, llama.cpp server).
 *
 * <p>Thread-safe: many threads may call {@link #complete} at once; at most
 * {@link GeneratorConfig#maxConcurrency()} HTTP requests are in flight, and a thread waiting for a
 * retry takes no slot. HTTP 429, 5xx, 408, timeouts and connection failures are retried with
 * exponential back-off and full jitter; a {@code Retry-After} header (seconds or HTTP date) replaces
 * the jittered wait, in full. Other errors fail at once.
 *
 * <p>When a server rejects {@code n > 1} (HTTP 400, 422 or 500 whose body names {@code n} or contains
 * "only one completion choice", as llama.cpp's llama-server does) or returns
 * fewer choices than asked, the client remembers it and from then on sends {@code n} requests of
 * {@code n = 1}, with seeds {@code seed + i}.
 *
 * <p>Close the client to release its threads; calls after {@link #close()} throw
 * {@link IllegalStateException}.
 */
public final class GeneratorClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorClient.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private final GeneratorConfig config;
    private final String apiKey;
    private final URI endpointUri;
    private final boolean chatEndpoint;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final Semaphore slots;
    private final AtomicBoolean nUnsupported = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final LongAdder httpRequests = new LongAdder();
    private final LongAdder retries = new LongAdder();

    /** Creates a client that reads the API key, if any, from the process environment. */
    public GeneratorClient(GeneratorConfig config) {
        this(config, System::getenv);
    }

    /**
     * Creates a client that reads the API key through {@code environment}, for embedding and tests.
     *
     * @throws IllegalArgumentException when {@code config.apiKeyEnv()} is set but the variable is unset or empty
     */
    public GeneratorClient(GeneratorConfig config, Function<String, String> environment) {
        this.config = config;
        this.apiKey = resolveApiKey(config.apiKeyEnv(), environment);
        this.chatEndpoint = config.endpoint() == GeneratorConfig.Endpoint.CHAT;
        this.endpointUri = URI.create(config.baseUrl() + (chatEndpoint ? "/chat/completions" : "/completions"));
        int clientId = CLIENT_IDS.incrementAndGet();
        this.httpExecutor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "generator-client-" + clientId);
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .executor(httpExecutor)
                .build();
        this.slots = new Semaphore(config.maxConcurrency(), true);
        LOG.debug("generator client {} for {} (model {}, endpoint {}, max concurrency {}, max retries {})",
                clientId, endpointUri, config.model(), config.endpoint(), config.maxConcurrency(), config.maxRetries());
    }

    public GeneratorConfig config() {
        return config;
    }

    /**
     * Samples {@code request.n()} completions.
     *
     * @return exactly {@code request.n()} completions, ordered by choice index
     * @throws GenerationException when the request failed for good; its {@link GenerationException#reason()} gives the cause
     * @throws IllegalArgumentException when a chat request is sent to the COMPLETIONS endpoint
     */
    public List<Completion> complete(CompletionRequest request) {
        if (closed.get()) {
            throw new IllegalStateException("generator client for " + endpointUri + " is closed");
        }
        if (request.isChat() && !chatEndpoint) {
            throw new IllegalArgumentException(
                    "chat messages need endpoint CHAT, but this client is configured for COMPLETIONS at " + endpointUri);
        }
        if (request.n() > 1 && nUnsupported.get()) {
            return completeOneByOne(request, 0, new ArrayList<>());
        }
        try {
            List<Completion> completions = send(request);
            if (completions.size() >= request.n()) {
                return List.copyOf(completions.subList(0, request.n()));
            }
            markNUnsupported("it returned " + completions.size() + " choices for n=" + request.n());
            return completeOneByOne(request, completions.size(), new ArrayList<>(completions));
        } catch (NRejectedException e) {
            markNUnsupported("it rejected n=" + request.n() + ": " + e.getMessage());
            return completeOneByOne(request, 0, new ArrayList<>());
        }
    }

    /** Returns whether the server was found to reject or ignore {@code n > 1}. */
    public boolean nUnsupported() {
        return nUnsupported.get();
    }

    /** Prompt plus completion tokens of all successful responses, as reported by the server. */
    public long tokensUsed() {
        return promptTokens.sum() + completionTokens.sum();
    }

    /** Prompt tokens of all successful responses. */
    public long promptTokensUsed() {
        return promptTokens.sum();
    }

    /** Completion tokens of all successful responses. */
    public long completionTokensUsed() {
        return completionTokens.sum();
    }

    /** HTTP requests sent, retries included. */
    public long httpRequestsSent() {
        return httpRequests.sum();
    }

    /** Retries made after a retryable failure. */
    public long retriesMade() {
        return retries.sum();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            httpExecutor.shutdownNow();
            LOG.debug("generator client for {} closed after {} HTTP requests", endpointUri, httpRequests.sum());
        }
    }

    private List<Completion> completeOneByOne(CompletionRequest request, int from, List<Completion> collected) {
        for (int i = from; i < request.n(); i++) {
            Long seed = request.seed() == null ? null : request.seed() + i;
            List<Completion> single = send(request.withN(1).withSeed(seed));
            collected.add(single.get(0));
        }
        return List.copyOf(collected);
    }

    private void markNUnsupported(String why) {
        if (nUnsupported.compareAndSet(false, true)) {
            LOG.warn("server at {} does not support n > 1 ({}); sending one request per completion from now on",
                    endpointUri, why);
        }
    }

    /** Sends one request with retries; throws {@link NRejectedException} when the server rejects n. */
    private List<Completion> send(CompletionRequest request) {
        int requestId = requestIds.incrementAndGet();
        String body = OpenAiJson.requestBody(config.model(), request, chatEndpoint);
        for (int attempt = 1; ; attempt++) {
            Attempt result = attempt(requestId, body, request.n());
            if (result.completions != null) {
                return result.completions;
            }
            GenerationException failure = result.failure;
            if (!result.retryable || attempt > config.maxRetries()) {
                if (result.retryable) {
                    LOG.error("generation request {} to {} failed after {} attempts: {}",
                            requestId, endpointUri, attempt, failure.getMessage());
                }
                String suffix = " (after " + attempt + (attempt == 1 ? " attempt)" : " attempts)");
                throw new GenerationException(failure.reason(), failure.detail() + suffix, attempt,
                        failure.httpStatus(), failure.getCause());
            }
            int retryIndex = attempt - 1;
            Duration wait = result.retryAfter.orElseGet(
                    () -> Backoff.fullJitter(config.backoffBase(), config.backoffMax(), retryIndex));
            LOG.warn("generation request {} to {}: {}; retry {}/{} in {} ms{}", requestId, endpointUri,
                    failure.getMessage(), attempt, config.maxRetries(), wait.toMillis(),
                    result.retryAfter.isPresent() ? " (Retry-After)" : "");
            retries.increment();
            sleep(wait, requestId, attempt);
        }
    }

    private Attempt attempt(int requestId, String body, int n) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpointUri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        acquireSlot(requestId);
        try {
            httpRequests.increment();
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Attempt.retry(new GenerationException(Reason.TIMEOUT,
                    "no response within " + config.timeout().toMillis() + " ms", 0, -1, e), Optional.empty());
        } catch (ConnectException e) {
            return Attempt.retry(new GenerationException(Reason.CONNECTION_FAILED,
                    "cannot connect to " + endpointUri + ": " + e, 0, -1, e), Optional.empty());
        } catch (IOException e) {
            return Attempt.retry(new GenerationException(Reason.CONNECTION_FAILED,
                    "connection to " + endpointUri + " failed: " + e, 0, -1, e), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException(Reason.INTERRUPTED, "interrupted while waiting for " + endpointUri, 0, -1, e);
        } finally {
            slots.release();
        }
        return classify(response, n);
    }

    private Attempt classify(HttpResponse<String> response, int n) {
        int status = response.statusCode();
        String body = response.body();
        if (status / 100 == 2) {
            try {
                OpenAiJson.Parsed parsed = OpenAiJson.parseCompletions(body, chatEndpoint);
                promptTokens.add(parsed.promptTokens());
                completionTokens.add(parsed.completionTokens());
                return Attempt.success(parsed.completions());
            } catch (IllegalArgumentException e) {
                return Attempt.fail(new GenerationException(Reason.INVALID_RESPONSE,
                        "HTTP " + status + " from " + endpointUri + " is not a completion response: " + e.getMessage(),
                        0, status, e));
            }
        }
        String message = "HTTP " + status + " from " + endpointUri + ": " + OpenAiJson.errorMessage(body);
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                .flatMap(value -> Backoff.parseRetryAfter(value, Instant.now()));
        if ((status == 400 || status == 422 || status == 500) && n > 1 && OpenAiJson.rejectsN(body)) {
            throw new NRejectedException(message);
        }
        if (status == 429) {
            return Attempt.retry(new GenerationException(Reason.RATE_LIMITED, message, 0, status, null), retryAfter);
        }
        if (status >= 500 || status == 408) {
            Reason reason = status == 408 ? Reason.TIMEOUT : Reason.SERVER_ERROR;
            return Attempt.retry(new GenerationException(reason, message, 0, status, null), retryAfter);
        }
        Reason reason = switch (status) {
            case 401, 403 -> Reason.UNAUTHORIZED;
            case 404 -> Reason.NOT_FOUND;
            default -> Reason.BAD_REQUEST;
        };
        return Attempt.fail(new GenerationException(reason, message, 0, status, null));
    }

    private void acquireSlot(int requestId) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException(Reason.INTERRUPTED,
                    "interrupted while waiting for a free request slot (request " + requestId + ")", 0, -1, e);
        }
    }

    private void sleep(Duration wait, int requestId, int attempt) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException(Reason.INTERRUPTED,
                    "interrupted during back-off of request " + requestId, attempt, -1, e);
        }
    }

    private static String resolveApiKey(String variable, Function<String, String> environment) {
        if (variable == null) {
            return null;
        }
        String key = environment.apply(variable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("API key environment variable " + variable
                    + " is unset or empty; export it or configure no API key");
        }
        return key.strip();
    }

    /** Outcome of one HTTP attempt: completions, or a failure that may be retried. */
    private record Attempt(List<Completion> completions, GenerationException failure, boolean retryable,
            Optional<Duration> retryAfter) {

        static Attempt success(List<Completion> completions) {
            return new Attempt(completions, null, false, Optional.empty());
        }

        static Attempt retry(GenerationException failure, Optional<Duration> retryAfter) {
            return new Attempt(null, failure, true, retryAfter);
        }

        static Attempt fail(GenerationException failure) {
            return new Attempt(null, failure, false, Optional.empty());
        }
    }

    /** The server rejected {@code n > 1}; caught in {@link #complete} to switch to single requests. */
    private static final class NRejectedException extends RuntimeException {
        NRejectedException(String message) {
            super(message, null, false, false);
        }
    }
}
