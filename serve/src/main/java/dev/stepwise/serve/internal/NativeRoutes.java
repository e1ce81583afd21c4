package dev.stepwise.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The step-aware routes {@code /v1/prm/score}, {@code /v1/prm/score_incremental} and {@code /v1/orm/score}: request
 * validation, tokenization through the model's own prompt format, and response bodies.
 */
public final class NativeRoutes {

    private static final Set<String> PRM_FIELDS = Set.of("model", "items", "truncate");
    private static final Set<String> PRM_INCREMENTAL_FIELDS = Set.of("model", "items", "truncate", "cache_namespace");
    /** Maximum length of {@code cache_namespace}, in UTF-16 code units; it is kept in every cache key of its entries. */
    static final int MAX_CACHE_NAMESPACE_LENGTH = 256;
    private static final Set<String> PRM_ITEM_FIELDS = Set.of("problem", "steps");
    private static final Set<String> ORM_FIELDS = Set.of("model", "items");
    private static final Set<String> ORM_ITEM_FIELDS = Set.of("problem", "answer");

    private final ModelRegistry models;
    private final int maxItemsPerRequest;
    private final int maxStepsPerItem;

    public NativeRoutes(ModelRegistry models, int maxItemsPerRequest, int maxStepsPerItem) {
        this.models = models;
        this.maxItemsPerRequest = maxItemsPerRequest;
        this.maxStepsPerItem = maxStepsPerItem;
    }

    /** Validates and tokenizes a PRM request; runs on a worker thread. */
    public PreparedRequest preparePrm(JsonNode body, boolean incremental) {
        ObjectNode root = Json.object(body, "the request body");
        Json.rejectUnknownFields(root, incremental ? PRM_INCREMENTAL_FIELDS : PRM_FIELDS, "the request body");
        ModelRegistry.Model model = models.resolve(Json.optionalString(root, "model", "body"), ScoringBackend.Kind.PRM);
        String cacheNamespace = incremental ? cacheNamespace(root) : PrefixCache.DEFAULT_NAMESPACE;
        boolean truncate = Json.optionalBoolean(root, "truncate", false, "body");
        ArrayNode items = items(root);
        List<ScoringInput> inputs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = "items[" + i + "]";
            ObjectNode item = Json.object(items.get(i), path);
            Json.rejectUnknownFields(item, PRM_ITEM_FIELDS, path);
            String problem = Json.requiredString(item, "problem", path);
            requireValidText(problem, path + ".problem");
            List<String> steps = steps(item, path, model.backend().stepSeparator());
            inputs.add(segmentWithinLimit(model, problem, steps, truncate, path));
        }
        return new PreparedRequest(model, inputs, incremental, cacheNamespace, request -> renderPrm(model, request));
    }

    /** Validates and tokenizes an ORM request; runs on a worker thread. */
    public PreparedRequest prepareOrm(JsonNode body) {
        ObjectNode root = Json.object(body, "the request body");
        Json.rejectUnknownFields(root, ORM_FIELDS, "the request body");
        ModelRegistry.Model model = models.resolve(Json.optionalString(root, "model", "body"), ScoringBackend.Kind.ORM);
        ArrayNode items = items(root);
        List<ScoringInput> inputs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = "items[" + i + "]";
            ObjectNode item = Json.object(items.get(i), path);
            Json.rejectUnknownFields(item, ORM_ITEM_FIELDS, path);
            String problem = Json.requiredString(item, "problem", path);
            String answer = Json.requiredString(item, "answer", path);
            if (answer.isBlank()) {
                throw new ApiException(ErrorType.INVALID_REQUEST, path + ".answer is empty; an ORM scores a final"
                        + " answer, so send the full response text");
            }
            ScoringInput input = model.backend().segmentAnswer(problem, answer);
            if (input.length() > model.maxInputTokens()) {
                throw ApiException.overLimit(ErrorType.TOO_MANY_TOKENS, path + " has " + input.length()
                        + " tokens after the prompt format, over the limit of " + model.maxInputTokens()
                        + " tokens of model '" + model.name() + "'; ORM answers are never truncated because the score"
                        + " would then be of text that was not sent", model.maxInputTokens(), input.length());
            }
            inputs.add(input);
        }
        return new PreparedRequest(model, inputs, false, request -> renderOrm(model, request));
    }

    private ArrayNode items(ObjectNode root) {
        ArrayNode items = Json.requiredArray(root, "items", "body");
        if (items.isEmpty()) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "body.items is empty; send at least one item");
        }
        if (items.size() > maxItemsPerRequest) {
            throw ApiException.overLimit(ErrorType.TOO_MANY_ITEMS, "body.items has " + items.size()
                    + " items, over the limit of " + maxItemsPerRequest + " per request; split the request",
                    maxItemsPerRequest, items.size());
        }
        return items;
    }

    /** Reads the optional {@code cache_namespace} of an incremental request. */
    private static String cacheNamespace(ObjectNode root) {
        String namespace = Json.optionalString(root, "cache_namespace", "body");
        if (namespace == null) {
            return PrefixCache.DEFAULT_NAMESPACE;
        }
        if (namespace.isEmpty() || namespace.length() > MAX_CACHE_NAMESPACE_LENGTH) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "body.cache_namespace has " + namespace.length()
                    + " characters; send 1 to " + MAX_CACHE_NAMESPACE_LENGTH + " characters, or leave the field out"
                    + " to share the default namespace");
        }
        return namespace;
    }

    /**
     * Rejects text with an unpaired UTF-16 surrogate, such as the JSON escape of U+D800 alone: it is not a
     * character, and the tokenizer would encode it as a replacement character.
     */
    private static void requireValidText(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ApiException(ErrorType.INVALID_REQUEST, path + " is not valid UTF-16: it has an unpaired"
                        + " surrogate \\u" + Integer.toHexString(c) + " at character " + i + "; send valid Unicode"
                        + " text");
            }
        }
    }

    private List<String> steps(ObjectNode item, String path, java.util.Optional<String> separator) {
        ArrayNode array = Json.requiredArray(item, "steps", path);
        if (array.isEmpty()) {
            throw new ApiException(ErrorType.INVALID_REQUEST, path + ".steps is empty; send at least one step");
        }
        if (array.size() > maxStepsPerItem) {
            throw ApiException.overLimit(ErrorType.TOO_MANY_STEPS, path + ".steps has " + array.size()
                    + " steps, over the limit of " + maxStepsPerItem + " steps per item", maxStepsPerItem,
                    array.size());
        }
        List<String> steps = new ArrayList<>(array.size());
        for (int j = 0; j < array.size(); j++) {
            JsonNode step = array.get(j);
            String stepPath = path + ".steps[" + j + "]";
            if (!step.isTextual()) {
                throw Json.invalid(stepPath, "a string", step);
            }
            if (step.textValue().isBlank()) {
                throw new ApiException(ErrorType.INVALID_REQUEST, stepPath + " is empty or only whitespace; every"
                        + " step needs text to score");
            }
            requireValidText(step.textValue(), stepPath);
            if (separator.isPresent() && step.textValue().contains(separator.get())) {
                throw new ApiException(ErrorType.INVALID_REQUEST, stepPath + " contains the step separator '"
                        + separator.get() + "'; remove it from the step text");
            }
            steps.add(step.textValue());
        }
        return steps;
    }

    /**
     * Segments the item and enforces the token limit. With {@code truncate}, the longest prefix of whole steps that
     * fits is kept and marked truncated; otherwise an item over the limit is rejected.
     */
    private static ScoringInput segmentWithinLimit(ModelRegistry.Model model, String problem, List<String> steps,
            boolean truncate, String path) {
        ScoringBackend backend = model.backend();
        int limit = model.maxInputTokens();
        ScoringInput full = segment(backend, problem, steps, path);
        if (full.length() <= limit) {
            return full;
        }
        if (!truncate) {
            throw ApiException.overLimit(ErrorType.TOO_MANY_TOKENS, path + " has " + full.length()
                    + " tokens after the prompt format, over the limit of " + limit + " tokens of model '"
                    + model.name() + "'; send fewer steps, or set \"truncate\": true to score the steps that fit",
                    limit, full.length());
        }
        int kept = 0;
        while (kept < full.scorePositions().length && full.scorePositions()[kept] < limit) {
            kept++;
        }
        for (; kept > 0; kept--) {
            ScoringInput prefix = segment(backend, problem, steps.subList(0, kept), path);
            if (prefix.length() <= limit) {
                return new ScoringInput(prefix.inputIds(), prefix.scorePositions(), steps.size(), true);
            }
        }
        throw ApiException.overLimit(ErrorType.TOO_MANY_TOKENS, path + ": the problem and first step alone have more"
                + " than " + limit + " tokens, the limit of model '" + model.name() + "', so truncation leaves"
                + " nothing to score", limit, full.length());
    }

    private static ScoringInput segment(ScoringBackend backend, String problem, List<String> steps, String path) {
        try {
            return backend.segmentSteps(problem, steps);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorType.INVALID_REQUEST, path + " cannot be scored: " + e.getMessage(), e);
        }
    }

    private static JsonNode renderPrm(ModelRegistry.Model model, PendingRequest request) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", model.name());
        ArrayNode results = root.putArray("results");
        long promptTokens = 0;
        long computed = 0;
        long reused = 0;
        for (int i = 0; i < request.inputs().size(); i++) {
            ScoringInput input = request.inputs().get(i);
            results.add(prmResult(input, request.scores(i), model.backend().threshold(), request.computedTokens(i),
                    request.reusedTokens(i)));
            promptTokens += input.length();
            computed += request.computedTokens(i);
            reused += request.reusedTokens(i);
        }
        usage(root, promptTokens, computed, reused);
        return root;
    }

    /** Builds one PRM result. Unscored steps of a truncated item are null, never a made-up value. */
    static ObjectNode prmResult(ScoringInput input, float[] scores, double threshold, int computed, int reused) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        ArrayNode stepScores = result.putArray("step_scores");
        float min = Float.POSITIVE_INFINITY;
        double product = 1;
        int firstError = -1;

        for (int j = 0; j < scores.length; j++) {
            stepScores.add(scores[j]);
            min = Math.min(min, scores[j]);
            product *= scores[j];
            if (firstError < 0 && scores[j] < threshold) {
                firstError = j;
            }
        }
        for (int j = scores.length; j < input.stepCount(); j++) {
            stepScores.addNull();
        }

        result.put("min", min);
        result.put("last", scores[scores.length - 1]);
        result.put("product", (float) product);
        result.put("first_error_step", firstError);
        result.put("truncated", input.truncated());
        result.put("scored_steps", scores.length);
        if (input.truncated()) {
            ArrayNode unscored = result.putArray("unscored_steps");
            for (int j = scores.length; j < input.stepCount(); j++) {
                unscored.add(j);
            }
        }
        result.put("computed_tokens", computed);
        result.put("reused_tokens", reused);
        return result;
    }

    private static JsonNode renderOrm(ModelRegistry.Model model, PendingRequest request) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", model.name());
        ArrayNode results = root.putArray("results");
        long tokens = 0;
        for (int i = 0; i < request.inputs().size(); i++) {
            results.addObject().put("score", request.scores(i)[0]).put("computed_tokens", request.computedTokens(i));
            tokens += request.inputs().get(i).length();
        }
        usage(root, tokens, tokens, 0);
        return root;
    }

    private static void usage(ObjectNode root, long promptTokens, long computed, long reused) {
        root.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("computed_tokens", computed)
                .put("reused_tokens", reused);
    }
}
