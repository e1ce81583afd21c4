package dev.stepwise.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes with the request and response shapes of other servers, so that scripts written for them work unchanged:
 * vLLM's {@code /pooling} (token classification, one row per step tag) and {@code /classify}, and Text Embeddings
 * Inference's {@code /predict}.
 *
 * <p>These routes take raw text that the client has already formatted: the server applies no prompt format and
 * inserts no step tags. A row of probabilities is {@code [1 - p, p]}, the negative and positive class.
 */
public final class CompatRoutes {

    private static final Set<String> POOLING_FIELDS = Set.of("model", "input", "task", "encoding_format", "user");
    private static final Set<String> CLASSIFY_FIELDS = Set.of("model", "input", "user");
    private static final Set<String> PREDICT_FIELDS = Set.of("inputs", "truncate", "truncation_direction", "raw_scores");

    private final ModelRegistry models;
    private final int maxItemsPerRequest;
    private final AtomicLong responseIds = new AtomicLong();

    public CompatRoutes(ModelRegistry models, int maxItemsPerRequest) {
        this.models = models;
        this.maxItemsPerRequest = maxItemsPerRequest;
    }

    /**
     * vLLM {@code POST /pooling} with task {@code token_classify}: every step tag token of each input gets one row.
     * An input without a step tag gets an empty list.
     */
    public PreparedRequest preparePooling(JsonNode body) {
        ObjectNode root = Json.object(body, "the request body");
        Json.rejectUnknownFields(root, POOLING_FIELDS, "the request body");
        String task = Json.optionalString(root, "task", "body");
        if (task != null && !task.equals("token_classify")) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "body.task '" + task + "' is not supported; this server"
                    + " serves reward models through task 'token_classify'");
        }
        String format = Json.optionalString(root, "encoding_format", "body");
        if (format != null && !format.equals("float")) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "body.encoding_format '" + format
                    + "' is not supported; use 'float'");
        }
        ModelRegistry.Model model = models.resolve(Json.optionalString(root, "model", "body"), ScoringBackend.Kind.PRM);
        long separator = model.backend().stepSeparatorId().orElseThrow(() -> new IllegalStateException(
                "PRM model '" + model.name() + "' has no step separator token id; this is a bug"));
        List<ScoringInput> inputs = new ArrayList<>();
        for (long[] ids : tokenInputs(root.get("input"), model)) {
            checkLength(model, ids, inputs.size());
            inputs.add(new ScoringInput(ids, positionsOf(ids, separator), 0, false));
        }
        return new PreparedRequest(model, inputs, false, request -> renderPooling(model, request));
    }

    /** vLLM {@code POST /classify}: each text scored at its last token by an ORM. */
    public PreparedRequest prepareClassify(JsonNode body) {
        ObjectNode root = Json.object(body, "the request body");
        Json.rejectUnknownFields(root, CLASSIFY_FIELDS, "the request body");
        ModelRegistry.Model model = models.resolve(Json.optionalString(root, "model", "body"), ScoringBackend.Kind.ORM);
        JsonNode input = root.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.textValue());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            checkItemCount(input.size(), "body.input");
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw Json.invalid("body.input[" + i + "]", "a string", input.get(i));
                }
                texts.add(input.get(i).textValue());
            }
        } else {
            throw Json.invalid("body.input", "a string or a non-empty array of strings", input);
        }
        List<ScoringInput> inputs = new ArrayList<>();
        for (String text : texts) {
            inputs.add(lastToken(model, encodeNonEmpty(model, text, "body.input[" + inputs.size() + "]"),
                    inputs.size(), false));
        }
        return new PreparedRequest(model, inputs, false, request -> renderClassify(model, request));
    }

    /**
     * Text Embeddings Inference {@code POST /predict}. {@code inputs} is a string (one text), a list of lists (a batch,
     * each entry one text or a [problem, answer] pair), or a list of strings (a batch of texts). A list of exactly two
     * strings could be one pair or a batch of two, so it is rejected as ambiguous.
     */
    public PreparedRequest preparePredict(JsonNode body) {
        ObjectNode root = Json.object(body, "the request body");
        Json.rejectUnknownFields(root, PREDICT_FIELDS, "the request body");
        if (Json.optionalBoolean(root, "raw_scores", false, "body")) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "body.raw_scores true is not supported; the scores are"
                    + " probabilities in [0, 1]");
        }
        boolean truncate = Json.optionalBoolean(root, "truncate", false, "body");
        String direction = Json.optionalString(root, "truncation_direction", "body");
        if (direction != null && !direction.equals("Right") && !direction.equals("Left")) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "body.truncation_direction must be 'Right' or 'Left',"
                    + " found '" + direction + "'");
        }
        boolean keepEnd = "Left".equals(direction);

        ModelRegistry.Model model = models.resolve(null, ScoringBackend.Kind.ORM);
        JsonNode node = root.get("inputs");
        boolean batch = node != null && node.isArray();
        List<ScoringInput> inputs = new ArrayList<>();
        for (List<String> entry : predictEntries(node)) {
            String path = batch ? "body.inputs[" + inputs.size() + "]" : "body.inputs";
            long[] ids = entry.size() == 1
                    ? encodeNonEmpty(model, entry.get(0), path)
                    : model.backend().segmentAnswer(entry.get(0), entry.get(1)).inputIds();
            if (truncate && ids.length > model.maxInputTokens()) {
                int limit = model.maxInputTokens();
                ids = keepEnd ? Arrays.copyOfRange(ids, ids.length - limit, ids.length) : Arrays.copyOf(ids, limit);
                inputs.add(lastToken(model, ids, inputs.size(), true));
            } else {
                inputs.add(lastToken(model, ids, inputs.size(), false));
            }
        }
        return new PreparedRequest(model, inputs, false, request -> renderPredict(request, batch));
    }

    private List<List<String>> predictEntries(JsonNode node) {
        if (node != null && node.isTextual()) {
            return List.of(List.of(node.textValue()));
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw Json.invalid("body.inputs", "a string, a non-empty list of strings, or a list of [text] or"
                    + " [problem, answer] lists", node);
        }
        checkItemCount(node.size(), "body.inputs");
        boolean allText = true;
        boolean allLists = true;
        for (JsonNode element : node) {
            allText &= element.isTextual();
            allLists &= element.isArray();
        }
        if (allText && node.size() == 2) {
            throw new ApiException(ErrorType.AMBIGUOUS_INPUT, "body.inputs is a list of two strings, which is either"
                    + " one [problem, answer] pair or a batch of two texts; send [[\"problem\", \"answer\"]] for a pair"
                    + " or [[\"text 1\"], [\"text 2\"]] for a batch");
        }
        List<List<String>> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            String path = "body.inputs[" + i + "]";
            if (allText) {
                entries.add(List.of(element.textValue()));
            } else if (allLists && (element.size() == 1 || element.size() == 2)) {
                List<String> texts = new ArrayList<>();
                for (int j = 0; j < element.size(); j++) {
                    if (!element.get(j).isTextual()) {
                        throw Json.invalid(path + "[" + j + "]", "a string", element.get(j));
                    }
                    texts.add(element.get(j).textValue());
                }
                entries.add(texts);
            } else {
                throw Json.invalid(path, "a list of one text or a [problem, answer] pair, like every other entry",
                        element);
            }
        }
        return entries;
    }

    private List<long[]> tokenInputs(JsonNode input, ModelRegistry.Model model) {
        if (input != null && input.isTextual()) {
            return List.of(model.backend().encode(input.textValue()));
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw Json.invalid("body.input", "a string, a non-empty list of strings, a list of token ids, or a list"
                    + " of token id lists", input);
        }
        if (input.get(0).isIntegralNumber()) {
            return List.of(tokenIds(input, model, "body.input"));
        }
        checkItemCount(input.size(), "body.input");
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode element = input.get(i);
            String path = "body.input[" + i + "]";
            if (element.isTextual() && input.get(0).isTextual()) {
                out.add(model.backend().encode(element.textValue()));
            } else if (element.isArray() && input.get(0).isArray()) {
                out.add(tokenIds(element, model, path));
            } else {
                throw Json.invalid(path, input.get(0).isTextual() ? "a string like body.input[0]"
                        : "a list of token ids like body.input[0]", element);
            }
        }
        return out;
    }

    private static long[] tokenIds(JsonNode array, ModelRegistry.Model model, String path) {
        if (array.isEmpty()) {
            throw new ApiException(ErrorType.INVALID_REQUEST, path + " is an empty list of token ids");
        }
        long[] ids = new long[array.size()];
        int vocabSize = model.backend().vocabSize();
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || id.longValue() < 0 || id.longValue() >= vocabSize) {
                throw Json.invalid(path + "[" + i + "]", "a token id in [0, " + vocabSize + ")", id);
            }
            ids[i] = id.longValue();
        }
        return ids;
    }

    private static long[] encodeNonEmpty(ModelRegistry.Model model, String text, String path) {
        long[] ids = model.backend().encode(text);
        if (ids.length == 0) {
            throw new ApiException(ErrorType.INVALID_REQUEST, path + " encodes to no tokens; send non-empty text");
        }
        return ids;
    }

    private static ScoringInput lastToken(ModelRegistry.Model model, long[] ids, int index, boolean truncated) {
        checkLength(model, ids, index);
        return new ScoringInput(ids, new int[] {ids.length - 1}, 1, truncated);
    }

    private static void checkLength(ModelRegistry.Model model, long[] ids, int index) {
        if (ids.length > model.maxInputTokens()) {
            throw ApiException.overLimit(ErrorType.TOO_MANY_TOKENS, "input " + index + " has " + ids.length
                    + " tokens, over the limit of " + model.maxInputTokens() + " tokens of model '" + model.name()
                    + "'", model.maxInputTokens(), ids.length);
        }
        if (ids.length == 0) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "input " + index + " encodes to no tokens");
        }
    }

    private void checkItemCount(int count, String path) {
        if (count > maxItemsPerRequest) {
            throw ApiException.overLimit(ErrorType.TOO_MANY_ITEMS, path + " has " + count + " entries, over the limit"
                    + " of " + maxItemsPerRequest + " per request; split the request", maxItemsPerRequest, count);
        }
    }

    private static int[] positionsOf(long[] ids, long tokenId) {
        return java.util.stream.IntStream.range(0, ids.length).filter(i -> ids[i] == tokenId).toArray();
    }

    private JsonNode renderPooling(ModelRegistry.Model model, PendingRequest request) {
        ObjectNode root = listEnvelope("pool", model.name());
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < request.inputs().size(); i++) {
            ObjectNode entry = data.addObject().put("index", i).put("object", "pooling");
            ArrayNode rows = entry.putArray("data");
            for (float score : request.scores(i)) {
                rows.addArray().add(1f - score).add(score);
            }
        }
        putUsage(root, request);
        return root;
    }

    private JsonNode renderClassify(ModelRegistry.Model model, PendingRequest request) {
        ObjectNode root = listEnvelope("classify", model.name());
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < request.inputs().size(); i++) {
            float score = request.scores(i)[0];
            ObjectNode entry = data.addObject().put("index", i).put("label", score > 0.5f ? "LABEL_1" : "LABEL_0");
            entry.putArray("probs").add(1f - score).add(score);
            entry.put("num_classes", 2).put("object", "classification");
        }
        putUsage(root, request);
        return root;
    }

    private static JsonNode renderPredict(PendingRequest request, boolean batch) {
        ArrayNode outer = Json.MAPPER.createArrayNode();
        for (int i = 0; i < request.inputs().size(); i++) {
            float score = request.scores(i)[0];
            ArrayNode labels = batch ? outer.addArray() : outer;
            ObjectNode positive = Json.MAPPER.createObjectNode().put("score", score).put("label", "LABEL_1");
            ObjectNode negative = Json.MAPPER.createObjectNode().put("score", 1f - score).put("label", "LABEL_0");
            labels.add(score > 0.5f ? positive : negative);
            labels.add(score > 0.5f ? negative : positive);
        }
        return outer;
    }

    private ObjectNode listEnvelope(String prefix, String modelName) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", prefix + "-" + Long.toHexString(System.nanoTime()) + "-" + responseIds.incrementAndGet());
        root.put("object", "list");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", modelName);
        return root;
    }

    private static void putUsage(ObjectNode root, PendingRequest request) {
        long tokens = request.inputs().stream().mapToLong(ScoringInput::length).sum();
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens).put("completion_tokens", 0);
    }
}
