package dev.stepwise.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.serve.ServerConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the scoring service: routes, authentication, admission control, deadlines, timing headers and
 * graceful shutdown, over one {@link Batcher} per model.
 *
 * <p>Event-loop handlers only route and write; parsing and tokenization run on a shared worker pool and model work on
 * the batcher threads. Every error response has a JSON body {@code {"error", "type"}} and the status of its
 * {@link ErrorType}.
 */
public final class HttpService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    private static final String RETRY_AFTER_SECONDS = "1";
    /** The {@code route} metric label of every path that matches no route. */
    static final String UNMATCHED_ROUTE = "unmatched";
    /** Paths of the routes that {@link #router()} registers; each is its own {@code route} metric label. */
    private static final Set<String> ROUTES = Set.of("/health", "/ready", "/metrics", "/openapi.json", "/v1/models",
            "/v1/prm/score", "/v1/prm/score_incremental", "/v1/orm/score", "/pooling", "/classify", "/predict");

    private final ServerConfig config;
    private final ModelRegistry models;
    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final Metrics metrics;
    private final NativeRoutes nativeRoutes;
    private final CompatRoutes compatRoutes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final byte[] openApi;
    private volatile boolean draining;
    private HttpServer server;

    private HttpService(ServerConfig config, ModelRegistry models, Metrics metrics, Vertx vertx) {
        this.config = config;
        this.models = models;
        this.metrics = metrics;
        this.vertx = vertx;
        this.workers = vertx.createSharedWorkerExecutor("stepwise-tokenize", config.workerThreads());
        this.nativeRoutes = new NativeRoutes(models, config.maxItemsPerRequest(), config.maxStepsPerItem());
        this.compatRoutes = new CompatRoutes(models, config.maxItemsPerRequest());
        this.openApi = readResource("openapi.json");
        metrics.registerInFlight(inFlight::get);
    }

    /**
     * Starts one batcher per backend (name to backend, in order) and binds the server; blocks until it listens. On
     * failure everything started is stopped again, but the backends stay open for the caller to close.
     *
     * @throws java.io.UncheckedIOException when the address cannot be bound (in use, not local)
     */
    public static HttpService start(ServerConfig config, Map<String, ScoringBackend> backends) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("at least one model is needed to start the scoring service");
        }
        Metrics metrics = new Metrics();
        List<ModelRegistry.Model> list = new ArrayList<>();
        for (Map.Entry<String, ScoringBackend> entry : backends.entrySet()) {
            list.add(newModel(config, entry.getKey(), entry.getValue(), metrics));
        }
        Vertx vertx = Vertx.vertx();
        try {
            HttpService service = new HttpService(config, new ModelRegistry(list), metrics, vertx);
            list.forEach(model -> model.batcher().start());
            service.listen();
            return service;
        } catch (RuntimeException e) {
            list.forEach(model -> model.batcher().close());
            await(vertx.close(), "closing Vert.x after a failed start");
            throw e;
        }
    }

    private static ModelRegistry.Model newModel(ServerConfig config, String name, ScoringBackend backend,
            Metrics metrics) {
        int limit = config.maxInputTokens();
        if (backend.maxTokens() < limit) {
            LOG.warn("model {} accepts at most {} tokens; lowering its input limit from {} to {}", name,
                    backend.maxTokens(), limit, backend.maxTokens());
            limit = backend.maxTokens();
        }
        Batcher batcher = new Batcher(name, backend, config.maxBatchTokens(), config.maxBatchWait().toNanos(),
                config.maxQueuedItems(), config.prefixCacheBytes(), metrics);
        return new ModelRegistry.Model(name, backend, batcher, limit);
    }

    private void listen() {
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
        try {
            server = vertx.createHttpServer(options).requestHandler(router()).listen()
                    .toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = "could not bind " + config.host() + ":" + config.port() + ": " + cause.getMessage()
                    + "; choose another --port or --host";
            if (cause instanceof java.io.IOException io) {
                throw new java.io.UncheckedIOException(message, io);
            }
            throw new IllegalStateException(message, cause);
        }
        LOG.info("scoring service listening on http://{}:{} with models {}", config.host(), server.actualPort(),
                models.all().stream().map(m -> m.name() + " (" + m.backend().kind() + ", max " + m.maxInputTokens()
                        + " tokens)").toList());
        LOG.info("configuration: {}", config);
    }

    /** Returns the bound port, the actual one when the configuration requested port 0. */
    public int port() {
        return server.actualPort();
    }

    /** Models with their batchers, in load order. */
    public List<ModelRegistry.Model> models() {
        return models.all();
    }

    /** Returns the number of scoring requests admitted and not yet responded to. */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /**
     * Stops taking requests (new ones get 503 {@code shutting_down}), waits up to the shutdown timeout for requests in
     * flight, then closes the server, the batchers and Vert.x. Backends stay open: their owner closes them.
     */
    @Override
    public void close() {
        if (draining) {
            return;
        }
        draining = true;
        LOG.info("scoring service stopping: {} requests in flight, waiting up to {} ms", inFlight.get(),
                config.shutdownTimeout().toMillis());
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("{} requests still in flight after {} ms; they receive 503 shutting_down", inFlight.get(),
                    config.shutdownTimeout().toMillis());
        }
        models.all().forEach(model -> model.batcher().close());
        await(server.shutdown(1, TimeUnit.SECONDS), "closing the HTTP server");
        await(workers.close(), "closing the worker pool");
        await(vertx.close(), "closing Vert.x");
        LOG.info("scoring service stopped");
    }

    private static void await(Future<?> future, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("failed {} during shutdown: {}", what, e.toString());
        }
    }

    /**
     * Returns the {@code route} label of a request path: the path of a known route, or {@link #UNMATCHED_ROUTE} for
     * any other, so that unknown paths cannot add metric series without bound.
     */
    static String routeLabel(String path) {
        return ROUTES.contains(path) ? path : UNMATCHED_ROUTE;
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(this::authenticate);
        router.route().handler(this::rejectFormBodies);
        router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        router.get("/health").handler(ctx -> writeJson(ctx, 200, Json.MAPPER.createObjectNode().put("status", "ok")));
        router.get("/ready").handler(this::ready);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.render()).onFailure(e -> LOG.debug("could not write /metrics: {}", e.toString())));
        router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(Buffer.buffer(openApi)).onFailure(e -> LOG.debug("could not write /openapi.json: {}", e.toString())));
        router.get("/v1/models").handler(this::listModels);
        router.post("/v1/prm/score").handler(ctx -> score(ctx, body -> nativeRoutes.preparePrm(body, false)));
        router.post("/v1/prm/score_incremental").handler(ctx -> score(ctx, body -> nativeRoutes.preparePrm(body, true)));
        router.post("/v1/orm/score").handler(ctx -> score(ctx, nativeRoutes::prepareOrm));
        router.post("/pooling").handler(ctx -> score(ctx, compatRoutes::preparePooling));
        router.post("/classify").handler(ctx -> score(ctx, compatRoutes::prepareClassify));
        router.post("/predict").handler(ctx -> score(ctx, compatRoutes::preparePredict));
        router.route().failureHandler(this::failure);
        router.errorHandler(404, ctx -> writeError(ctx, new ApiException(ErrorType.NOT_FOUND, "no route "
                + ctx.request().method() + " " + ctx.request().path() + "; see /openapi.json for the routes")));
        router.errorHandler(405, ctx -> writeError(ctx, new ApiException(ErrorType.METHOD_NOT_ALLOWED, "route "
                + ctx.request().path() + " does not take " + ctx.request().method() + "; see /openapi.json")));
        return router;
    }

    private void authenticate(RoutingContext ctx) {
        metrics.countRequest(routeLabel(ctx.request().path()));
        String path = ctx.request().path();
        if (config.apiKey() == null || path.equals("/health") || path.equals("/ready")) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        String expected = "Bearer " + config.apiKey();
        boolean valid = header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
        if (valid) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            writeError(ctx, new ApiException(ErrorType.UNAUTHORIZED, header == null
                    ? "missing 'Authorization: Bearer <key>' header; this server requires an API key"
                    : "the bearer token is not valid for this server"));
        }
    }

    /**
     * Rejects form and multipart bodies, which BodyHandler would decode as form fields (so a '%' in a JSON string
     * fails), with 415. Bodies with another or no Content-Type are read as JSON.
     */
    private void rejectFormBodies(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
            writeError(ctx, new ApiException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + type
                    + "' is not supported; send the JSON body with 'Content-Type: application/json'"));
            return;
        }
        ctx.next();
    }

    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            writeError(ctx, api);
        } else if (ctx.statusCode() == 413) {
            writeError(ctx, bodyTooLarge(ctx));
        } else if (ctx.statusCode() == 404 || ctx.statusCode() == 405) {
            writeError(ctx, new ApiException(ctx.statusCode() == 404 ? ErrorType.NOT_FOUND : ErrorType.METHOD_NOT_ALLOWED,
                    "no route " + ctx.request().method() + " " + ctx.request().path()));
        } else if (ctx.statusCode() == 400) {
            writeError(ctx, new ApiException(ErrorType.INVALID_JSON, "the request body could not be read"
                    + (failure == null ? "" : ": " + Json.describeReadFailure(failure))));
        } else {
            LOG.error("unhandled failure on {} {} (status {})", ctx.request().method(), ctx.request().path(),
                    ctx.statusCode(), failure);
            writeError(ctx, new ApiException(ErrorType.INTERNAL_ERROR, "internal error; this is a bug, see the server log"));
        }
    }

    /**
     * Returns the 413 error of a body over {@code --max-body-bytes}. A chunked body has no declared length, and the
     * body handler stops reading it once it passes the limit without reporting how many bytes came, so that error
     * has no {@code value}.
     */
    private ApiException bodyTooLarge(RoutingContext ctx) {
        long limit = config.maxBodyBytes();
        long declared = declaredLength(ctx);
        if (declared >= 0) {
            return ApiException.overLimit(ErrorType.BODY_TOO_LARGE, "the request body has " + declared
                    + " bytes (Content-Length), over the limit of " + limit + " bytes; send a smaller request",
                    limit, declared);
        }
        return ApiException.overLimit(ErrorType.BODY_TOO_LARGE, "the request body, sent without Content-Length,"
                + " exceeded the limit of " + limit + " bytes: more than " + limit + " bytes arrived before the server"
                + " stopped reading it; send a smaller request", limit, -1);
    }

    private static long declaredLength(RoutingContext ctx) {
        try {
            String header = ctx.request().getHeader("Content-Length");
            return header == null ? -1 : Long.parseLong(header);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void ready(RoutingContext ctx) {
        if (draining) {
            writeError(ctx, new ApiException(ErrorType.SHUTTING_DOWN, "the server is shutting down"));
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("status", "ready");
        ArrayNode names = body.putArray("models");
        models.all().forEach(model -> names.add(model.name()));
        writeJson(ctx, 200, body);
    }

    private void listModels(RoutingContext ctx) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (ModelRegistry.Model model : models.all()) {
            data.addObject()
                    .put("id", model.name())
                    .put("object", "model")
                    .put("kind", model.backend().kind().name().toLowerCase(Locale.ROOT))
                    .put("max_input_tokens", model.maxInputTokens())
                    .put("threshold", model.backend().threshold())
                    .put("queued_items", model.batcher().queuedItems());
        }
        writeJson(ctx, 200, body);
    }

    /**
     * Admits a scoring request, prepares it on a worker, queues it on its model's batcher and writes the outcome.
     * Exactly one response is written, and the in-flight count is released exactly once, whatever happens first:
     * scores, an error, the deadline or the client leaving.
     */
    private void score(RoutingContext ctx, Function<JsonNode, PreparedRequest> prepare) {
        if (draining) {
            writeError(ctx, new ApiException(ErrorType.SHUTTING_DOWN, "the server is shutting down and takes no new"
                    + " requests"));
            return;
        }
        if (inFlight.incrementAndGet() > config.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            writeError(ctx, ApiException.overLimit(ErrorType.OVERLOADED, "the server already has "
                    + config.maxConcurrentRequests() + " requests in flight, its limit; retry after "
                    + RETRY_AFTER_SECONDS + " s", config.maxConcurrentRequests(), config.maxConcurrentRequests() + 1L));
            return;
        }

        String route = ctx.request().path();
        Context context = vertx.getOrCreateContext();
        long arrival = System.nanoTime();
        PendingRequest request = new PendingRequest(context, arrival, config.requestTimeout().toNanos());
        AtomicReference<PreparedRequest> prepared = new AtomicReference<>();

        long timer = vertx.setTimer(config.requestTimeout().toMillis(), id -> request.fail(new ApiException(
                ErrorType.TIMEOUT, "the request received no response within its deadline of "
                + config.requestTimeout().toMillis() + " ms")));
        request.onOutcome(
                done -> finish(ctx, route, request, timer, () -> writeSuccess(ctx, request, prepared.get())),
                error -> finish(ctx, route, request, timer, () -> writeError(ctx, error, request)));
        ctx.response().closeHandler(v -> {
            request.cancel();
            request.fail(new ApiException(ErrorType.CLIENT_CLOSED, "the client closed the connection"));
        });

        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        workers.executeBlocking(() -> {
            PreparedRequest ready = prepare.apply(Json.parse(body));
            request.setInputs(ready.inputs(), System.nanoTime());
            return ready;
        }, false).onComplete(result -> {
            if (result.failed()) {
                request.fail(asApiException(result.cause(), route));
                return;
            }
            prepared.set(result.result());
            enqueue(request, result.result());
        });
    }

    private void enqueue(PendingRequest request, PreparedRequest ready) {
        if (request.isAbandoned(System.nanoTime())) {
            return;
        }
        if (request.itemsToScore() == 0) {
            request.succeedWithoutScoring();
            return;
        }
        try {
            if (ready.incremental()) {
                ready.model().batcher().submitIncremental(request, ready.cacheNamespace());
            } else {
                ready.model().batcher().submit(request);
            }
        } catch (ApiException e) {
            request.fail(e);
        }
    }

    private void finish(RoutingContext ctx, String route, PendingRequest request, long timer, Runnable write) {
        vertx.cancelTimer(timer);
        inFlight.decrementAndGet();
        metrics.observeRequest(route, System.nanoTime() - request.arrivalNanos());
        if (ctx.response().ended() || ctx.response().closed()) {
            metrics.countError(ErrorType.CLIENT_CLOSED);
            LOG.debug("client of {} left before the answer", route);
            return;
        }
        write.run();
    }

    private static ApiException asApiException(Throwable cause, String route) {
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof IllegalArgumentException) {
            LOG.warn("rejected a request to {}: {}", route, cause.getMessage());
            return new ApiException(ErrorType.INVALID_REQUEST, cause.getMessage(), cause);
        }
        LOG.error("failed to prepare a request to {}; this is a bug", route, cause);
        return new ApiException(ErrorType.INTERNAL_ERROR, "failed to prepare the request: " + cause
                + "; this is a bug, see the server log", cause);
    }

    private void writeSuccess(RoutingContext ctx, PendingRequest request, PreparedRequest ready) {
        JsonNode body;
        try {
            body = ready.render().apply(request);
        } catch (RuntimeException e) {
            LOG.error("failed to write the response of {}; this is a bug", ctx.request().path(), e);
            writeError(ctx, new ApiException(ErrorType.INTERNAL_ERROR, "failed to write the response; this is a bug"),
                    request);
            return;
        }
        timingHeaders(ctx.response(), request);
        writeJson(ctx, 200, body);
    }

    private void writeError(RoutingContext ctx, ApiException error, PendingRequest request) {
        timingHeaders(ctx.response(), request);
        writeError(ctx, error);
    }

    private static void timingHeaders(HttpServerResponse response, PendingRequest request) {
        response.putHeader("x-tokenization-time", millis(request.tokenizeMillis()));
        response.putHeader("x-queue-time", millis(request.queueMillis()));
        response.putHeader("x-inference-time", millis(request.inferenceMillis()));
        response.putHeader("x-total-time", millis((System.nanoTime() - request.arrivalNanos()) / 1e6));
    }

    private static String millis(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private void writeError(RoutingContext ctx, ApiException error) {
        ErrorType type = error.type();
        metrics.countError(type);
        if (type.status() >= 500) {
            LOG.warn("{} {} answered {} {}: {}", ctx.request().method(), ctx.request().path(), type.status(),
                    type.wireName(), error.getMessage());
        } else {
            LOG.debug("{} {} answered {} {}: {}", ctx.request().method(), ctx.request().path(), type.status(),
                    type.wireName(), error.getMessage());
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", error.getMessage()).put("type", type.wireName());
        if (error.limit() >= 0) {
            body.put("limit", error.limit());
        }
        if (error.value() >= 0) {
            body.put("value", error.value());
        }
        if (type == ErrorType.OVERLOADED) {
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        writeJson(ctx, type.status(), body);
    }

    private static void writeJson(RoutingContext ctx, int status, JsonNode body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .end(Buffer.buffer(Json.write(body)))
                .onFailure(e -> LOG.debug("could not write a {} response to {}: {}", status, ctx.request().path(),
                        e.toString()));
    }

    private static byte[] readResource(String name) {
        try (InputStream in = HttpService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the serve jar; this is a bug");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("could not read resource " + name, e);
        }
    }
}
