package dev.stepwise.dataset.generate;

import dev.stepwise.dataset.generate.internal.ScriptedRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 whose completions come from a {@link GenerationScript},
 * for tests, demos and the quickstart. It serves {@code POST /v1/completions},
 * {@code POST /v1/chat/completions} and {@code GET /v1/models}.
 *
 * <p>Behaviour, per the OpenAI API: choice {@code i} of a request gets the effective seed
 * {@code seed + i} (seed 0 when absent), so the same request returns the same texts. The text is cut
 * before the first occurrence of any stop sequence (finish reason {@code stop}) and then after
 * {@code max_tokens} whitespace-separated pieces (finish reason {@code length}). Usage counts
 * whitespace-separated pieces: {@code prompt_tokens} over the prompt or all message contents,
 * {@code completion_tokens} over all returned choices.
 *
 * <p>Fault injection: {@link #injectFaults} makes the next requests to the two completion endpoints
 * fail or stall; {@link #setNSupported(boolean) setNSupported(false)} rejects {@code n > 1} with
 * HTTP 400 naming {@code n}, as some servers do. All methods are thread-safe.
 */
public final class ScriptedGeneratorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedGeneratorServer.class);

    /** A failure served instead of a normal response. */
    public sealed interface Fault {

        /** HTTP 429 with a {@code Retry-After} header holding whole seconds. */
        static Fault rateLimited(Duration retryAfter) {
            return new RateLimited(Long.toString(retryAfter.toSeconds()));
        }

        /** HTTP 429 with a {@code Retry-After} header holding an HTTP date (RFC 1123). */
        static Fault rateLimitedUntil(Instant until) {
            return new RateLimited(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(until.atZone(java.time.ZoneOffset.UTC)));
        }

        /** HTTP 429 without {@code Retry-After}. */
        static Fault rateLimited() {
            return new RateLimited(null);
        }

        /** HTTP 500 with an OpenAI error body. */
        static Fault serverError() {
            return new ServerError(500);
        }

        /** Sends the normal response after {@code delay}, so a delay past the client timeout is a timeout. */
        static Fault delay(Duration delay) {
            return new Delay(delay);
        }

        /** @param retryAfter header value, or null for none */
        record RateLimited(String retryAfter) implements Fault {
        }

        record ServerError(int status) implements Fault {
        }

        record Delay(Duration delay) implements Fault {
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final ScriptedRoutes routes;

    private ScriptedGeneratorServer(Vertx vertx, HttpServer server, ScriptedRoutes routes) {
        this.vertx = vertx;
        this.server = server;
        this.routes = routes;
    }

    /**
     * Starts a server on 127.0.0.1 on a free port.
     *
     * @param model the only model name the server accepts; others get HTTP 404
     * @throws IllegalStateException when the server does not start within 30 s
     */
    public static ScriptedGeneratorServer start(String model, GenerationScript script) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be a non-empty name, found: " + model);
        }
        Vertx vertx = Vertx.vertx();
        ScriptedRoutes routes = new ScriptedRoutes(vertx, model, script);
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .requestHandler(routes.router())
                    .listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("scripted generator server for model {} listening on http://127.0.0.1:{}/v1", model,
                    server.actualPort());
            return new ScriptedGeneratorServer(vertx, server, routes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while starting the scripted generator server", e);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("scripted generator server failed to start on 127.0.0.1: " + e, e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** Returns the API root in OpenAI SDK form, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public String model() {
        return routes.model();
    }

    /** Serves {@code fault} for the next {@code count} completion requests, after any faults already queued. */
    public void injectFaults(int count, Fault fault) {
        if (count < 0 || fault == null) {
            throw new IllegalArgumentException("injectFaults needs count >= 0 and a fault, found count=" + count
                    + " fault=" + fault);
        }
        routes.injectFaults(count, fault);
    }

    /** Drops faults that have not been served yet. */
    public void clearFaults() {
        routes.clearFaults();
    }

    /** With {@code false}, requests with {@code n > 1} get HTTP 400 whose error names the parameter {@code n}. */
    public void setNSupported(boolean supported) {
        routes.setNSupported(supported);
    }

    /** Delays every normal response by {@code delay} (zero for none), to make jobs take longer. */
    public void setResponseDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("response delay must be >= 0, found: " + delay);
        }
        routes.setResponseDelay(delay);
    }

    /** Requires {@code Authorization: Bearer KEY} on completion requests (HTTP 401 otherwise); null turns it off. */
    public void requireApiKey(String key) {
        routes.requireApiKey(key);
    }

    /** Returns the requests received on the two completion endpoints, faulty ones included. */
    public int completionRequests() {
        return routes.completionRequests();
    }

    /** Returns the choices sent in successful responses. */
    public long choicesReturned() {
        return routes.choicesReturned();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("scripted generator server on port {} stopped after {} completion requests", port(),
                    routes.completionRequests());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping the scripted generator server on port {}", port());
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("scripted generator server on port {} did not stop cleanly", port(), e);
        }
    }
}
