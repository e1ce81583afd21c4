package dev.stepwise.prm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * What a trained reward model folder needs besides its weights and tokenizer, stored as {@code stepwise.json}.
 *
 * @param task {@code PRM} (one score per step) or {@code ORM} (one score per answer)
 * @param headKind layout of the head tensors
 * @param stepSeparator text placed after each step; its token is the score position of a PRM
 * @param promptFormat name of the prompt format the model was trained with (see {@code PromptFormat} in dataset)
 * @param labelPolicy how step labels were made, for example {@code hard} (0/1) or {@code soft} (Monte-Carlo estimates)
 * @param threshold decision threshold in (0, 1): a step whose score is below it counts as wrong
 * @param labelTokens the label tokens of an {@link HeadKind#LM_LABEL_TOKENS} head, null for other kinds
 * @param maxTokens longest input in tokens that the model was trained on and accepts, at least 1
 */
public record ModelCard(
        Task task,
        HeadKind headKind,
        String stepSeparator,
        String promptFormat,
        String labelPolicy,
        double threshold,
        LabelTokens labelTokens,
        int maxTokens) {

    /** File name of the card inside a model folder. */
    public static final String FILE_NAME = "stepwise.json";

    /** Separator token of Qwen2.5-Math-PRM, used when a folder has no {@code stepwise.json}. */
    public static final String QWEN_PRM_SEPARATOR = "<extra_0>";

    /** Maximum input length in tokens assumed for folders without a card. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final int FORMAT_VERSION = 1;
    private static final Set<String> KEYS = Set.of("format_version", "task", "head_kind", "step_separator",
            "prompt_format", "label_policy", "threshold", "label_tokens", "max_tokens");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Whether the model scores steps or whole answers. */
    public enum Task { PRM, ORM }

    public ModelCard {
        require(task != null, "task must be PRM or ORM, found null");
        require(headKind != null, "head_kind must be one of TWO_CLASS, SIGMOID, LM_LABEL_TOKENS, found null");
        require(stepSeparator != null && !stepSeparator.isEmpty(),
                "step_separator must be a non-empty string, found: " + stepSeparator);
        require(promptFormat != null && !promptFormat.isEmpty(), "prompt_format must be non-empty, found: " + promptFormat);
        require(labelPolicy != null && !labelPolicy.isEmpty(), "label_policy must be non-empty, found: " + labelPolicy);
        require(threshold > 0 && threshold < 1, "threshold must be in (0, 1), found: " + threshold);
        require(maxTokens >= 1, "max_tokens must be at least 1, found: " + maxTokens);
        require((headKind == HeadKind.LM_LABEL_TOKENS) == (labelTokens != null),
                "label_tokens must be given exactly when head_kind is LM_LABEL_TOKENS; head_kind " + headKind
                        + ", label_tokens " + labelTokens);
        require(task == Task.PRM || headKind == HeadKind.SIGMOID,
                "an ORM card needs head_kind SIGMOID (one logit on the last token), found: " + headKind);
    }

    /** Card of a Qwen2.5-Math-PRM-style folder that has no {@code stepwise.json}. */
    public static ModelCard qwenMathPrmDefaults() {
        return new ModelCard(Task.PRM, HeadKind.TWO_CLASS, QWEN_PRM_SEPARATOR, "qwen2.5-math-prm", "hard", 0.5, null,
                DEFAULT_MAX_TOKENS);
    }

    /**
     * Card of an outcome model folder that has no {@code stepwise.json}: sigmoid head {@code score.weight} read at
     * the last token, plain prompt format, newline as the (unused) separator, threshold 0.5, 4096 tokens.
     */
    public static ModelCard outcomeDefaults() {
        return new ModelCard(Task.ORM, HeadKind.SIGMOID, "\n", "plain", "outcome", 0.5, null, DEFAULT_MAX_TOKENS);
    }

    /** Returns a copy with another decision threshold. */
    public ModelCard withThreshold(double newThreshold) {
        return new ModelCard(task, headKind, stepSeparator, promptFormat, labelPolicy, newThreshold, labelTokens,
                maxTokens);
    }

    /**
     * Reads {@code stepwise.json} from a model folder.
     *
     * @throws IOException when the file is missing or unreadable
     * @throws IllegalArgumentException when a key is unknown, missing or has an invalid value; the message names the file
     */
    public static ModelCard read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        JsonNode root = JSON.readTree(file.toFile());
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code stepwise.json} into a model folder through a temporary file and a rename. */
    public void write(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("task", task.name().toLowerCase(Locale.ROOT));
        root.put("head_kind", headKind.name().toLowerCase(Locale.ROOT));
        root.put("step_separator", stepSeparator);
        root.put("prompt_format", promptFormat);
        root.put("label_policy", labelPolicy);
        root.put("threshold", threshold);
        if (labelTokens != null) {
            ObjectNode tokens = root.putObject("label_tokens");
            tokens.put("positive", labelTokens.positive());
            tokens.put("negative", labelTokens.negative());
        }
        root.put("max_tokens", maxTokens);
        Path temporary = modelDir.resolve(FILE_NAME + ".tmp");
        JSON.writeValue(temporary.toFile(), root);
        Files.move(temporary, modelDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static ModelCard fromJson(JsonNode root) {
        require(root.isObject(), "expected a JSON object, found " + root.getNodeType());
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            require(KEYS.contains(name), "unknown key '" + name + "'; known keys: " + KEYS);
        }
        int version = required(root, "format_version").asInt();
        require(version == FORMAT_VERSION, "format_version " + FORMAT_VERSION + " expected, found " + version);
        JsonNode tokens = root.get("label_tokens");
        LabelTokens labelTokens = tokens == null || tokens.isNull()
                ? null
                : new LabelTokens(required(tokens, "positive").asText(), required(tokens, "negative").asText());
        return new ModelCard(
                enumValue(Task.class, required(root, "task").asText()),
                enumValue(HeadKind.class, required(root, "head_kind").asText()),
                required(root, "step_separator").asText(),
                required(root, "prompt_format").asText(),
                required(root, "label_policy").asText(),
                required(root, "threshold").asDouble(),
                labelTokens,
                required(root, "max_tokens").asInt());
    }

    private static JsonNode required(JsonNode node, String key) {
        JsonNode value = node.get(key);
        require(value != null && !value.isNull(), "missing key '" + key + "'");
        return value;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + " '" + text + "'; expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
