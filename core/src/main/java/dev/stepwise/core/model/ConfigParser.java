package dev.stepwise.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@code config.json} object into a {@link ModelConfig}, applying the defaults of {@code transformers}. */
final class ConfigParser {

    private ConfigParser() {}

    static ModelConfig parse(ObjectNode json) {
        List<String> architectures = strings(json, "architectures");
        Architecture architecture = architecture(json, architectures);
        checkActivation(json);
        checkSlidingWindow(json, architecture);

        int hiddenSize = requiredInt(json, "hidden_size");
        int numAttentionHeads = requiredInt(json, "num_attention_heads");
        int headDim = json.hasNonNull("head_dim") ? intValue(json, "head_dim") : defaultHeadDim(hiddenSize, numAttentionHeads);
        boolean llamaAttentionBias = architecture == Architecture.LLAMA && bool(json, "attention_bias", false);
        return new ModelConfig(
                architecture,
                architectures,
                hiddenSize,
                requiredInt(json, "intermediate_size"),
                requiredInt(json, "num_hidden_layers"),
                numAttentionHeads,
                json.hasNonNull("num_key_value_heads") ? intValue(json, "num_key_value_heads") : numAttentionHeads,
                headDim,
                requiredInt(json, "vocab_size"),
                number(json, "rms_norm_eps", 1e-6),
                number(json, "rope_theta", 10000.0),
                ropeScaling(json),
                bool(json, "tie_word_embeddings", false),
                architecture == Architecture.QWEN2 || llamaAttentionBias,
                llamaAttentionBias,
                architecture == Architecture.LLAMA && bool(json, "mlp_bias", false),
                architecture == Architecture.MISTRAL && json.hasNonNull("sliding_window")
                        ? intValue(json, "sliding_window") : null,
                json.hasNonNull("max_position_embeddings") ? intValue(json, "max_position_embeddings") : 2048,
                numLabels(json),
                number(json, "initializer_range", 0.02),
                tokenId(json, "bos_token_id"),
                tokenId(json, "eos_token_id"),
                tokenId(json, "pad_token_id"),
                json);
    }

    private static Architecture architecture(ObjectNode json, List<String> architectures) {
        List<String> unsupported = new ArrayList<>();
        Architecture fromClasses = null;
        for (String className : architectures) {
            Architecture family = Architecture.ofClassName(className);
            if (family == null) {
                unsupported.add(className);
            } else {
                fromClasses = family;
            }
        }
        if (!unsupported.isEmpty()) {
            throw new UnsupportedOperationException("unsupported architecture " + String.join(", ", unsupported)
                    + "; stepwise implements " + supportedClasses());
        }
        String modelType = json.path("model_type").asText(null);
        if (modelType == null) {
            if (fromClasses == null) {
                throw new IllegalArgumentException("config has neither \"model_type\" nor \"architectures\"");
            }
            return fromClasses;
        }
        Architecture fromType = Architecture.ofModelType(modelType);
        if (fromType == null) {
            throw new UnsupportedOperationException("unsupported model_type \"" + modelType
                    + "\"; stepwise implements llama, qwen2 and mistral");
        }
        if (fromClasses != null && fromClasses != fromType) {
            throw new IllegalArgumentException("model_type \"" + modelType + "\" does not match architectures "
                    + architectures);
        }
        return fromType;
    }

    private static String supportedClasses() {
        List<String> names = new ArrayList<>();
        for (Architecture architecture : Architecture.values()) {
            names.addAll(architecture.classNames());
        }
        return String.join(", ", names);
    }

    private static void checkActivation(ObjectNode json) {
        String activation = json.path("hidden_act").asText("silu");
        if (!activation.equals("silu")) {
            throw new UnsupportedOperationException("unsupported hidden_act \"" + activation
                    + "\"; stepwise implements silu (SwiGLU)");
        }
    }

    private static void checkSlidingWindow(ObjectNode json, Architecture architecture) {
        if (architecture == Architecture.QWEN2 && bool(json, "use_sliding_window", false)) {
            throw new UnsupportedOperationException(
                    "unsupported use_sliding_window=true for qwen2; stepwise implements full causal attention");
        }
    }

    private static RopeScaling ropeScaling(ObjectNode json) {
        JsonNode scaling = json.get("rope_scaling");
        if (scaling == null || scaling.isNull()) {
            return RopeScaling.NONE;
        }
        if (!scaling.isObject()) {
            throw new IllegalArgumentException("\"rope_scaling\" must be an object or null, found " + scaling);
        }
        ObjectNode node = (ObjectNode) scaling;
        String type = node.hasNonNull("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("");
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return new RopeScaling(RopeScaling.Type.LINEAR, requiredNumber(node, "factor", "rope_scaling"), 0, 0, 0);
            case "llama3":
                return new RopeScaling(RopeScaling.Type.LLAMA3,
                        requiredNumber(node, "factor", "rope_scaling"),
                        requiredNumber(node, "low_freq_factor", "rope_scaling"),
                        requiredNumber(node, "high_freq_factor", "rope_scaling"),
                        requiredInt(node, "original_max_position_embeddings"));
            default:
                throw new UnsupportedOperationException("unsupported rope_scaling type \"" + type
                        + "\"; stepwise implements default, linear and llama3");
        }
    }

    private static double requiredNumber(ObjectNode json, String key, String parent) {
        if (!json.path(key).isNumber()) {
            throw new IllegalArgumentException(parent + " needs a numeric \"" + key + "\", found " + json);
        }
        return json.get(key).asDouble();
    }

    private static int numLabels(ObjectNode json) {
        if (json.path("id2label").isObject() && json.get("id2label").size() > 0) {
            return json.get("id2label").size();
        }
        return json.hasNonNull("num_labels") ? intValue(json, "num_labels") : 2;
    }

    private static int defaultHeadDim(int hiddenSize, int numAttentionHeads) {
        if (numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size (" + hiddenSize + ") must be a multiple of num_attention_heads ("
                    + numAttentionHeads + ") when head_dim is absent");
        }
        return hiddenSize / numAttentionHeads;
    }

    private static Integer tokenId(ObjectNode json, String key) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            return value.isEmpty() ? null : checkedInt(key, value.get(0));
        }
        return checkedInt(key, value);
    }

    private static int requiredInt(ObjectNode json, String key) {
        if (!json.hasNonNull(key)) {
            throw new IllegalArgumentException("missing required key \"" + key + "\"");
        }
        return intValue(json, key);
    }

    private static int intValue(ObjectNode json, String key) {
        return checkedInt(key, json.get(key));
    }

    private static int checkedInt(String key, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an integer, found " + value);
        }
        return value.asInt();
    }

    private static double number(ObjectNode json, String key, double fallback) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a number, found " + value);
        }
        return value.asDouble();
    }

    private static boolean bool(ObjectNode json, String key, boolean fallback) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("\"" + key + "\" must be true or false, found " + value);
        }
        return value.asBoolean();
    }

    private static List<String> strings(ObjectNode json, String key) {
        List<String> values = new ArrayList<>();
        JsonNode array = json.get(key);
        if (array == null || array.isNull()) {
            return values;
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a list of strings, found " + array);
        }
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
