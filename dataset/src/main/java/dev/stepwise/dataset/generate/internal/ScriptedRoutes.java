package dev.stepwise.dataset.generate.internal;

import dev.stepwise.dataset.generate.ChatMessage;
import dev.stepwise.dataset.generate.GenerationScript;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer.Fault;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Request handling of {@code ScriptedGeneratorServer}: parsing, fault injection, script calls and responses. */
public final class ScriptedRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedRoutes.class);
    private static final int BODY_LIMIT_BYTES = 16 << 20;

    private final Vertx vertx;
    private final String model;
    private final GenerationScript script;
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean nSupported = new AtomicBoolean(true);
    private final AtomicReference<Duration> responseDelay = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<String> requiredApiKey = new AtomicReference<>();
    private final AtomicInteger completionRequests = new AtomicInteger();
    private final AtomicLong choicesReturned = new AtomicLong();
    private final AtomicLong responseIds = new AtomicLong();

    public ScriptedRoutes(Vertx vertx, String model, GenerationScript script) {
        if (script == null) {
            throw new IllegalArgumentException("scripted generator server needs a GenerationScript, found null");
        }
        this.vertx = vertx;
        this.model = model;
        this.script = script;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get("/v1/models").handler(this::listModels);
        router.post("/v1/completions").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
                .handler(ctx -> complete(ctx, false));
        router.post("/v1/chat/completions").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
                .handler(ctx -> complete(ctx, true));
        return router;
    }

    public String model() {
        return model;
    }

    public void injectFaults(int count, Fault fault) {
        for (int i = 0; i < count; i++) {
            faults.add(fault);
        }
    }

    public void clearFaults() {
        faults.clear();
    }

    public void setNSupported(boolean supported) {
        nSupported.set(supported);
    }

    public void setResponseDelay(Duration delay) {
        responseDelay.set(delay);
    }

    public void requireApiKey(String key) {
        requiredApiKey.set(key);
    }

    public int completionRequests() {
        return completionRequests.get();
    }

    public long choicesReturned() {
        return choicesReturned.get();
    }

    private void listModels(RoutingContext ctx) {
        JsonObject entry = new JsonObject().put("id", model).put("object", "model").put("owned_by", "stepwise");
        sendJson(ctx, 200, new JsonObject().put("object", "list").put("data", new JsonArray().add(entry)));
    }

    private void complete(RoutingContext ctx, boolean chat) {
        completionRequests.incrementAndGet();
        String key = requiredApiKey.get();
        if (key != null && !("Bearer " + key).equals(ctx.request().getHeader("Authorization"))) {
            sendError(ctx, 401, "invalid or missing API key", "authentication_error", null);
            return;
        }
        Fault fault = faults.poll();
        if (fault instanceof Fault.RateLimited rateLimited) {
            if (rateLimited.retryAfter() != null) {
                ctx.response().putHeader("Retry-After", rateLimited.retryAfter());
            }
            sendError(ctx, 429, "rate limit reached, slow down", "rate_limit_error", null);
            return;
        }
        if (fault instanceof Fault.ServerError serverError) {
            sendError(ctx, serverError.status(), "injected server error", "server_error", null);
            return;
        }
        ParsedRequest request;
        try {
            request = parse(ctx, chat);
        } catch (DecodeException e) {
            sendError(ctx, 400, "request body is not valid JSON: " + e.getMessage(), "invalid_request_error", null);
            return;
        } catch (RequestException e) {
            sendError(ctx, e.status, e.getMessage(), e.status == 404 ? "NotFoundError" : "invalid_request_error", e.param);
            return;
        }
        long extraDelayMillis = fault instanceof Fault.Delay delay ? delay.delay().toMillis() : 0;
        long delayMillis = responseDelay.get().toMillis() + extraDelayMillis;
        vertx.executeBlocking(() -> respond(request, chat), false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("generation script failed for a request with seed {}", request.seed, result.cause());
                sendError(ctx, 500, "generation script failed: " + result.cause(), "server_error", null);
            } else {
                sendLater(ctx, result.result(), delayMillis);
            }
        });
    }

    private void sendLater(RoutingContext ctx, JsonObject body, long delayMillis) {
        if (delayMillis <= 0) {
            sendJson(ctx, 200, body);
            return;
        }
        vertx.setTimer(delayMillis, timerId -> {
            if (ctx.response().closed()) {
                LOG.debug("client closed the connection during a {} ms delay; response {} dropped", delayMillis,
                        body.getString("id"));
            } else {
                sendJson(ctx, 200, body);
            }
        });
    }

    private ParsedRequest parse(RoutingContext ctx, boolean chat) {
        JsonObject body = ctx.body().asJsonObject();
        if (body == null) {
            throw new RequestException(400, "request body must be a JSON object", null);
        }
        String requestedModel = stringField(body, "model");
        if (!model.equals(requestedModel)) {
            throw new RequestException(404, "The model `" + requestedModel + "` does not exist; this server serves `"
                    + model + "`", "model");
        }
        List<ChatMessage> messages = chat ? messages(body) : List.of();
        String prompt = chat ? messages.get(messages.size() - 1).content() : stringField(body, "prompt");
        int n = intField(body, "n", 1);
        if (n < 1) {
            throw new RequestException(400, "n must be >= 1, found " + n, "n");
        }
        if (n > 1 && !nSupported.get()) {
            throw new RequestException(400, "n > 1 is not supported by this server, found n=" + n, "n");
        }
        int maxTokens = intField(body, "max_tokens", Integer.MAX_VALUE);
        if (maxTokens < 1) {
            throw new RequestException(400, "max_tokens must be >= 1, found " + maxTokens, "max_tokens");
        }
        double temperature = numberField(body, "temperature", 1.0);
        long seed = body.getValue("seed") == null ? 0L : longField(body, "seed");
        return new ParsedRequest(prompt, messages, n, temperature, maxTokens, stopList(body), seed);
    }

    private JsonObject respond(ParsedRequest request, boolean chat) {
        JsonArray choices = new JsonArray();
        long completionTokens = 0;
        for (int i = 0; i < request.n; i++) {
            GenerationScript.Call call = new GenerationScript.Call(request.prompt, request.messages, i, request.stop,
                    request.seed + i, request.temperature, request.maxTokens);
            GenerationScript.Result result = script.generate(call);
            if (result == null) {
                throw new IllegalStateException("generation script returned null for seed " + call.seed());
            }
            Cut cut = cut(result.text(), result.finishReason(), request.stop, request.maxTokens);
            completionTokens += countPieces(cut.text);
            JsonObject choice = new JsonObject().put("index", i).put("finish_reason", cut.finishReason);
            if (chat) {
                choice.put("message", new JsonObject().put("role", "assistant").put("content", cut.text));
            } else {
                choice.put("text", cut.text).putNull("logprobs");
            }
            choices.add(choice);
        }
        choicesReturned.addAndGet(request.n);
        long promptTokens = chat
                ? request.messages.stream().mapToLong(message -> countPieces(message.content())).sum()
                : countPieces(request.prompt);
        JsonObject usage = new JsonObject().put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens);
        return new JsonObject()
                .put("id", (chat ? "chatcmpl-" : "cmpl-") + responseIds.incrementAndGet())
                .put("object", chat ? "chat.completion" : "text_completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model)
                .put("choices", choices)
                .put("usage", usage);
    }

    /** Cuts before the earliest stop sequence, then after {@code maxTokens} whitespace-separated pieces. */
    static Cut cut(String text, String finishReason, List<String> stop, int maxTokens) {
        int earliest = -1;
        for (String sequence : stop) {
            int at = text.indexOf(sequence);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        String kept = text;
        String reason = finishReason;
        if (earliest >= 0) {
            kept = text.substring(0, earliest);
            reason = "stop";
        }
        int end = endOfPiece(kept, maxTokens);
        if (end < kept.length()) {
            kept = kept.substring(0, end);
            reason = "length";
        }
        return new Cut(kept, reason);
    }

    /** Returns the index just after the {@code count}-th whitespace-separated piece, or the text length. */
    private static int endOfPiece(String text, int count) {
        int pieces = 0;
        int i = 0;
        int length = text.length();
        while (i < length) {
            while (i < length && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == length) {
                break;
            }
            while (i < length && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            pieces++;
            if (pieces == count) {
                boolean morePieces = !text.substring(i).isBlank();
                return morePieces ? i : length;
            }
        }
        return length;
    }

    /** Counts whitespace-separated pieces: the token count this server reports. */
    public static int countPieces(String text) {
        int pieces = 0;
        boolean inPiece = false;
        for (int i = 0; i < text.length(); i++) {
            boolean whitespace = Character.isWhitespace(text.charAt(i));
            if (!whitespace && !inPiece) {
                pieces++;
            }
            inPiece = !whitespace;
        }
        return pieces;
    }

    private static List<ChatMessage> messages(JsonObject body) {
        Object value = body.getValue("messages");
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new RequestException(400, "'messages' must be a non-empty array", "messages");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object item = array.getValue(i);
            if (!(item instanceof JsonObject message) || !(message.getValue("role") instanceof String role)
                    || !(message.getValue("content") instanceof String content)) {
                throw new RequestException(400, "messages[" + i + "] must have string 'role' and 'content'", "messages");
            }
            messages.add(new ChatMessage(role, content));
        }
        return messages;
    }

    private static List<String> stopList(JsonObject body) {
        Object value = body.getValue("stop");
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return single.isEmpty() ? List.of() : List.of(single);
        }
        if (value instanceof JsonArray array) {
            List<String> stop = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.getValue(i) instanceof String sequence)) {
                    throw new RequestException(400, "stop[" + i + "] must be a string", "stop");
                }
                if (!sequence.isEmpty()) {
                    stop.add(sequence);
                }
            }
            return stop;
        }
        throw new RequestException(400, "'stop' must be a string or an array of strings", "stop");
    }

    private static String stringField(JsonObject body, String name) {
        if (!(body.getValue(name) instanceof String value)) {
            throw new RequestException(400, "'" + name + "' must be a string", name);
        }
        return value;
    }

    private static int intField(JsonObject body, String name, int absent) {
        long value = body.getValue(name) == null ? absent : longField(body, name);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new RequestException(400, "'" + name + "' is out of range: " + value, name);
        }
        return (int) value;
    }

    private static long longField(JsonObject body, String name) {
        Object value = body.getValue(name);
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new RequestException(400, "'" + name + "' must be an integer, found " + value, name);
        }
        return number.longValue();
    }

    private static double numberField(JsonObject body, String name, double absent) {
        Object value = body.getValue(name);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Number number)) {
            throw new RequestException(400, "'" + name + "' must be a number, found " + value, name);
        }
        return number.doubleValue();
    }

    private static void sendError(RoutingContext ctx, int status, String message, String type, String param) {
        JsonObject error = new JsonObject().put("message", message).put("type", type).put("param", param)
                .put("code", status);
        sendJson(ctx, status, new JsonObject().put("error", error));
    }

    private static void sendJson(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private record ParsedRequest(String prompt, List<ChatMessage> messages, int n, double temperature, int maxTokens,
            List<String> stop, long seed) {
    }

    record Cut(String text, String finishReason) {
    }

    private static final class RequestException extends RuntimeException {
        private final int status;
        private final String param;

        RequestException(int status, String message, String param) {
            super(message, null, false, false);
            this.status = status;
            this.param = param;
        }
    }
}
