package dev.stepwise.core.tokenizer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and rewrites Hugging Face {@code tokenizer.json} and {@code tokenizer_config.json} files.
 *
 * <p>DJL's tokenizer binding has no call that adds a token or lists the vocabulary, so stepwise reads
 * both from the JSON itself.
 */
public final class TokenizerFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerFiles() {
    }

    /** Parses JSON bytes, naming {@code origin} when they are not valid JSON. */
    public static JsonNode parseJson(byte[] bytes, Path origin) throws IOException {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("Failed to parse " + origin + " as JSON: " + e.getMessage(), e);
        }
    }

    public static byte[] toBytes(JsonNode node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    /**
     * Collects token → id from {@code model.vocab} (an object for BPE and WordLevel, a list of
     * {@code [piece, score]} pairs for Unigram) and from {@code added_tokens}.
     */
    public static Map<String, Long> vocabulary(JsonNode tokenizerJson, Path origin) throws IOException {
        Map<String, Long> vocab = new HashMap<>();
        JsonNode modelVocab = tokenizerJson.path("model").path("vocab");
        if (modelVocab.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = modelVocab.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                vocab.put(entry.getKey(), entry.getValue().asLong());
            }
        } else if (modelVocab.isArray()) {
            for (int id = 0; id < modelVocab.size(); id++) {
                vocab.put(modelVocab.get(id).get(0).asText(), (long) id);
            }
        } else {
            throw new IOException("Expected model.vocab in " + origin + " to be an object or a list; found "
                    + modelVocab.getNodeType());
        }
        for (JsonNode added : tokenizerJson.path("added_tokens")) {
            vocab.put(added.path("content").asText(), added.path("id").asLong());
        }
        return vocab;
    }

    /**
     * Returns a copy of {@code tokenizerJson} with each token in {@code tokens} appended to
     * {@code added_tokens} as a special token. A token already in the model vocabulary keeps its id;
     * a new one is numbered after the largest id in use.
     */
    public static ObjectNode withAddedSpecialTokens(JsonNode tokenizerJson, Map<String, Long> vocab, List<String> tokens) {
        ObjectNode copy = tokenizerJson.deepCopy();
        ArrayNode added = copy.has("added_tokens") && copy.get("added_tokens").isArray()
                ? (ArrayNode) copy.get("added_tokens")
                : copy.putArray("added_tokens");
        long nextId = vocab.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        for (String token : tokens) {
            ObjectNode entry = added.addObject();
            Long existing = vocab.get(token);
            entry.put("id", existing != null ? existing : nextId++);
            entry.put("content", token);
            entry.put("single_word", false);
            entry.put("lstrip", false);
            entry.put("rstrip", false);
            entry.put("normalized", false);
            entry.put("special", true);
        }
        return copy;
    }

    /**
     * Reads a special-token entry of {@code tokenizer_config.json}, which is either a string or an
     * object with a {@code content} field.
     */
    public static Optional<String> specialTokenText(JsonNode config, String key) {
        JsonNode value = config.path(key);
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.isObject() && value.path("content").isTextual()) {
            return Optional.of(value.path("content").asText());
        }
        return Optional.empty();
    }

    /** Lists the token texts under {@code added_tokens_decoder} of {@code tokenizer_config.json}. */
    public static Map<String, Boolean> configAddedTokens(JsonNode config) {
        Map<String, Boolean> tokens = new HashMap<>();
        Iterator<JsonNode> entries = config.path("added_tokens_decoder").elements();
        while (entries.hasNext()) {
            JsonNode entry = entries.next();
            tokens.put(entry.path("content").asText(), entry.path("special").asBoolean(false));
        }
        return tokens;
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
    }
}
