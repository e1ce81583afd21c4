package dev.stepwise.core.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The decoder hyperparameters of a Hugging Face {@code config.json}.
 *
 * <p>Parsing rejects what stepwise would compute differently from {@code transformers}: an unknown
 * {@code model_type} or {@code architectures} entry, an activation other than SiLU, a {@code rope_scaling} type
 * other than {@code default}, {@code linear} or {@code llama3}, and Qwen2's {@code use_sliding_window}. Keys that
 * do not change the math are kept in {@link #raw()} and written back by {@link #toJson()}.
 *
 * @param architecture decoder family, from {@code model_type}
 * @param architectures the {@code transformers} class names, for example {@code LlamaForCausalLM}
 * @param headDim size of one attention head; {@code head_dim}, or {@code hidden_size / num_attention_heads}
 * @param ropeScaling rotary frequency scaling; {@link RopeScaling#NONE} when {@code rope_scaling} is absent
 * @param attentionBias whether q, k and v projections have biases (always for Qwen2)
 * @param attentionOutputBias whether the attention output projection has a bias (Llama {@code attention_bias})
 * @param mlpBias whether gate, up and down projections have biases (Llama {@code mlp_bias})
 * @param slidingWindow Mistral's attention window in tokens, null for full causal attention
 * @param numLabels outputs of a sequence-classification head: {@code id2label} size, else {@code num_labels}, else 2
 * @param initializerRange standard deviation of the random initialisation of linear and embedding weights
 * @param bosTokenId null when absent
 * @param eosTokenId null when absent; the first entry when {@code config.json} lists several
 * @param padTokenId null when absent
 * @param raw the parsed JSON object, including keys this record does not model
 */
public record ModelConfig(
        Architecture architecture,
        List<String> architectures,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean attentionOutputBias,
        boolean mlpBias,
        Integer slidingWindow,
        int maxPositionEmbeddings,
        int numLabels,
        double initializerRange,
        Integer bosTokenId,
        Integer eosTokenId,
        Integer padTokenId,
        ObjectNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        Objects.requireNonNull(architecture, "architecture");
        architectures = List.copyOf(architectures);
        raw = raw == null ? JSON.createObjectNode() : raw.deepCopy();
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("num_labels", numLabels);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, found " + headDim);
        }
        if (!(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rms_norm_eps must be > 0, found " + rmsNormEps);
        }
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException("rope_theta must be > 0, found " + ropeTheta);
        }
        Objects.requireNonNull(ropeScaling, "ropeScaling");
        if (slidingWindow != null && slidingWindow <= 0) {
            throw new IllegalArgumentException("sliding_window must be > 0 or null, found " + slidingWindow);
        }
        if (!(initializerRange > 0)) {
            throw new IllegalArgumentException("initializer_range must be > 0, found " + initializerRange);
        }
    }

    /** Returns the raw JSON object; a copy, so changes do not reach this config. */
    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }

    /** Reads and validates a {@code config.json} file. */
    public static ModelConfig read(Path configJson) throws IOException {
        if (!java.nio.file.Files.isRegularFile(configJson)) {
            throw new java.io.FileNotFoundException(configJson + ": not found; a model folder needs the config.json "
                    + "of a Hugging Face checkpoint");
        }
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException("invalid JSON in " + configJson + jsonErrorText(e), e);
        } catch (IOException e) {
            throw new IOException("failed to read model config " + configJson + ": " + e, e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Parses a {@code config.json} document. */
    public static ModelConfig fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException parseError
                    ? jsonErrorText(parseError)
                    : ": " + e.getMessage();
            throw new IllegalArgumentException("invalid JSON in model config" + detail, e);
        }
    }

    /**
     * Returns " at line L, column C: reason" for a Jackson parse error. Jackson's own message describes its source
     * and names its parser features, which are not about the file, so the reason is cut before them.
     */
    private static String jsonErrorText(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String at = location != null && location.getLineNr() > 0
                ? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
        String reason = String.valueOf(e.getOriginalMessage());
        if (e instanceof JsonEOFException) {
            reason = "the JSON ends before its value is complete, as a truncated file does";
        }
        int cut = reason.length();
        for (String marker : new String[] {"[Source", "`"}) {
            int index = reason.indexOf(marker);
            if (index >= 0) {
                cut = Math.min(cut, index);
            }
        }
        if (cut < reason.length()) {
            String kept = reason.substring(0, cut);
            int clause = Math.max(kept.lastIndexOf(": "), kept.lastIndexOf(" ("));
            reason = (clause > 0 ? kept.substring(0, clause) : kept).strip();
        }
        return at + ": " + reason;
    }

    /**
     * Parses a {@code config.json} object.
     *
     * @throws IllegalArgumentException when a value is missing or out of range
     * @throws UnsupportedOperationException when the config requires math that stepwise does not implement
     */
    public static ModelConfig fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("model config must be a JSON object, found " + json);
        }
        return ConfigParser.parse((ObjectNode) json);
    }

    /** Returns {@code config.json} content: {@link #raw()} with every modelled field set from this record. */
    public ObjectNode toJson() {
        ObjectNode json = raw.deepCopy();
        json.put("model_type", architecture.modelType());
        ArrayNode classes = json.putArray("architectures");
        architectures.forEach(classes::add);
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", numHiddenLayers);
        json.put("num_attention_heads", numAttentionHeads);
        json.put("num_key_value_heads", numKeyValueHeads);
        json.put("head_dim", headDim);
        json.put("vocab_size", vocabSize);
        json.put("rms_norm_eps", rmsNormEps);
        json.put("rope_theta", ropeTheta);
        json.put("hidden_act", "silu");

        ObjectNode scaling = ropeScaling.toJson(JSON);
        if (scaling == null) {
            json.remove("rope_scaling");
        } else {
            json.set("rope_scaling", scaling);
        }
        json.put("tie_word_embeddings", tieWordEmbeddings);
        if (architecture == Architecture.LLAMA) {
            json.put("attention_bias", attentionBias);
            json.put("mlp_bias", mlpBias);
        }
        if (architecture == Architecture.MISTRAL) {
            if (slidingWindow == null) {
                json.putNull("sliding_window");
            } else {
                json.put("sliding_window", slidingWindow);
            }
        }

        json.put("max_position_embeddings", maxPositionEmbeddings);
        if (!json.has("id2label") || json.get("id2label").size() != numLabels) {
            json.remove("id2label");
            json.remove("label2id");
            json.put("num_labels", numLabels);
        }
        json.put("initializer_range", initializerRange);
        putTokenId(json, "bos_token_id", bosTokenId);
        putTokenId(json, "eos_token_id", eosTokenId);
        putTokenId(json, "pad_token_id", padTokenId);
        return json;
    }

    /** Returns a builder of small configs for tests and benchmarks, with the defaults listed on {@link Builder}. */
    public static Builder builder(Architecture architecture) {
        return new Builder(architecture);
    }

    private static void putTokenId(ObjectNode json, String key, Integer id) {
        JsonNode existing = json.get(key);
        boolean listStartsWithId = existing != null && existing.isArray() && existing.size() > 0 && id != null
                && existing.get(0).asInt() == id;
        if (listStartsWithId) {
            return;
        }
        if (id == null) {
            json.putNull(key);
        } else {
            json.put(key, id);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, found " + value);
        }
    }

    /**
     * Builds a config through its {@code config.json} form, so a built config passes the same checks as a read one.
     * Defaults: hidden 64, intermediate 128, 2 layers, 4 heads, 2 key/value heads, vocabulary 256, RMSNorm epsilon
     * 1e-6, rope theta 10000, 512 positions, untied embeddings, architecture class {@code <Family>ForCausalLM}.
     */
    public static final class Builder {
        private final Architecture architecture;
        private final ObjectNode json = JSON.createObjectNode();
        private final List<String> architectures = new ArrayList<>();

        private Builder(Architecture architecture) {
            this.architecture = Objects.requireNonNull(architecture, "architecture");
            json.put("model_type", architecture.modelType());
            json.put("hidden_size", 64);
            json.put("intermediate_size", 128);
            json.put("num_hidden_layers", 2);
            json.put("num_attention_heads", 4);
            json.put("num_key_value_heads", 2);
            json.put("vocab_size", 256);
            json.put("rms_norm_eps", 1e-6);
            json.put("rope_theta", 10000.0);
            json.put("max_position_embeddings", 512);
            json.put("tie_word_embeddings", false);
            json.put("hidden_act", "silu");
        }

        public Builder hiddenSize(int value) {
            json.put("hidden_size", value);
            return this;
        }

        public Builder intermediateSize(int value) {
            json.put("intermediate_size", value);
            return this;
        }

        public Builder numHiddenLayers(int value) {
            json.put("num_hidden_layers", value);
            return this;
        }

        public Builder numAttentionHeads(int value) {
            json.put("num_attention_heads", value);
            return this;
        }

        public Builder numKeyValueHeads(int value) {
            json.put("num_key_value_heads", value);
            return this;
        }

        public Builder vocabSize(int value) {
            json.put("vocab_size", value);
            return this;
        }

        public Builder tieWordEmbeddings(boolean value) {
            json.put("tie_word_embeddings", value);
            return this;
        }

        /** Adds a {@code transformers} class name to {@code architectures}; replaces the default class. */
        public Builder architectureClass(String className) {
            architectures.add(className);
            return this;
        }

        /** Sets any other {@code config.json} key, for example {@code attention_bias} or {@code num_labels}. */
        public Builder set(String key, JsonNode value) {
            json.set(key, value);
            return this;
        }

        public Builder set(String key, Object value) {
            json.set(key, JSON.valueToTree(value));
            return this;
        }

        public ModelConfig build() {
            ObjectNode copy = json.deepCopy();
            ArrayNode classes = copy.putArray("architectures");
            if (architectures.isEmpty()) {
                classes.add(architecture.classNames().get(0));
            } else {
                architectures.forEach(classes::add);
            }
            return fromJson(copy);
        }
    }
}
