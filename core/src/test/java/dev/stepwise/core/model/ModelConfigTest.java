package dev.stepwise.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    private static final String LLAMA = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64,
             "intermediate_size": 172, "num_hidden_layers": 5, "num_attention_heads": 8,
             "vocab_size": 512, "bos_token_id": 1, "eos_token_id": [2, 7], "custom_note": "kept"%s}""";

    @Test
    void llamaDefaultsFollowTransformers() {
        ModelConfig config = ModelConfig.fromJson(LLAMA.formatted(""));
        assertEquals(Architecture.LLAMA, config.architecture());
        assertEquals(List.of("LlamaForCausalLM"), config.architectures());
        assertEquals(8, config.numKeyValueHeads(), "defaults to num_attention_heads");
        assertEquals(8, config.headDim(), "hidden_size / num_attention_heads");
        assertEquals(1e-6, config.rmsNormEps());
        assertEquals(10000.0, config.ropeTheta());
        assertEquals(RopeScaling.NONE, config.ropeScaling());
        assertFalse(config.tieWordEmbeddings());
        assertFalse(config.attentionBias());
        assertEquals(2048, config.maxPositionEmbeddings());
        assertEquals(2, config.numLabels());
        assertEquals(1, config.bosTokenId());
        assertEquals(2, config.eosTokenId(), "first of a list");
        assertNull(config.padTokenId());
    }

    @Test
    void toJsonKeepsUnknownKeysAndTokenLists() {
        ModelConfig config = ModelConfig.fromJson(LLAMA.formatted(""));
        var json = config.toJson();
        assertEquals("kept", json.get("custom_note").asText());
        assertEquals("[2,7]", json.get("eos_token_id").toString());
        assertEquals(config.toJson(), ModelConfig.fromJson(json).toJson());
    }

    @Test
    void unknownRopeScalingTypeIsRejectedByName() {
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                () -> ModelConfig.fromJson(LLAMA.formatted(", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}")));
        assertEquals("unsupported rope_scaling type \"yarn\"; stepwise implements default, linear and llama3", error.getMessage());
    }

    @Test
    void linearRopeScalingIsParsed() {
        ModelConfig config = ModelConfig.fromJson(LLAMA.formatted(", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}"));
        assertEquals(new RopeScaling(RopeScaling.Type.LINEAR, 2.0, 0, 0, 0), config.ropeScaling());
        assertEquals("{\"rope_type\":\"linear\",\"factor\":2.0}", config.toJson().get("rope_scaling").toString());
    }

    @Test
    void llama3RopeScalingIsParsed() {
        ModelConfig config = ModelConfig.fromJson(LLAMA.formatted(", \"rope_scaling\": {\"rope_type\": \"llama3\", "
                + "\"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192}"));
        assertEquals(new RopeScaling(RopeScaling.Type.LLAMA3, 8.0, 1.0, 4.0, 8192), config.ropeScaling());
        assertEquals(config.ropeScaling(), ModelConfig.fromJson(config.toJson()).ropeScaling());
    }

    @Test
    void llama3RopeScalingNeedsItsKeys() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(
                LLAMA.formatted(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}")));
        assertEquals("rope_scaling needs a numeric \"low_freq_factor\", found {\"rope_type\":\"llama3\",\"factor\":8.0}",
                error.getMessage());
    }

    @Test
    void unknownArchitectureIsRejectedByName() {
        String gpt2 = LLAMA.formatted("").replace("LlamaForCausalLM", "GPT2LMHeadModel");
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                () -> ModelConfig.fromJson(gpt2));
        assertTrue(error.getMessage().startsWith("unsupported architecture GPT2LMHeadModel; stepwise implements LlamaForCausalLM"),
                error.getMessage());
    }

    @Test
    void unknownModelTypeIsRejectedByName() {
        String falcon = "{\"model_type\": \"falcon\", \"hidden_size\": 8}";
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                () -> ModelConfig.fromJson(falcon));
        assertEquals("unsupported model_type \"falcon\"; stepwise implements llama, qwen2 and mistral", error.getMessage());
    }

    @Test
    void otherActivationIsRejected() {
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                () -> ModelConfig.fromJson(LLAMA.formatted(", \"hidden_act\": \"gelu\"")));
        assertEquals("unsupported hidden_act \"gelu\"; stepwise implements silu (SwiGLU)", error.getMessage());
    }

    @Test
    void qwen2SlidingWindowIsRejected() {
        assertThrows(UnsupportedOperationException.class, () -> ModelConfig.builder(Architecture.QWEN2)
                .set("use_sliding_window", true).build());
    }

    @Test
    void qwen2AlwaysHasQueryKeyValueBias() {
        ModelConfig config = ModelConfig.builder(Architecture.QWEN2).build();
        assertTrue(config.attentionBias());
        assertFalse(config.attentionOutputBias());
    }

    @Test
    void badHeadCountsAreRejectedWithValues() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builder(Architecture.LLAMA).numAttentionHeads(4).numKeyValueHeads(3).build());
        assertEquals("num_attention_heads (4) must be a multiple of num_key_value_heads (3)", error.getMessage());
    }

    @Test
    void missingKeyIsNamed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.fromJson("{\"model_type\": \"mistral\", \"hidden_size\": 8}"));
        assertEquals("missing required key \"num_attention_heads\"", error.getMessage());
    }

    @Test
    void id2labelSetsNumLabels() {
        ModelConfig config = ModelConfig.fromJson(LLAMA.formatted(", \"id2label\": {\"0\": \"LABEL_0\"}"));
        assertEquals(1, config.numLabels());
    }

    @Test
    void truncatedConfigNamesFileAndPosition(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        String full = LLAMA.formatted("");
        Files.writeString(file, full.substring(0, full.length() / 2));

        IOException error = assertThrows(IOException.class, () -> ModelConfig.read(file));

        String message = error.getMessage();
        assertTrue(message.startsWith("invalid JSON in " + file + " at line "), message);
        assertTrue(message.contains(", column "), message);
        assertFalse(message.contains("Source"), message);
        assertFalse(message.contains("`"), message);
    }

    @Test
    void invalidCharacterInConfigIsPlain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"model_type\": llama}");

        IOException error = assertThrows(IOException.class, () -> ModelConfig.read(file));

        String message = error.getMessage();
        assertTrue(message.startsWith("invalid JSON in " + file + " at line 1, column "), message);
        assertTrue(message.contains(": Unrecognized token 'llama': was expecting (JSON String"), message);
        assertFalse(message.contains("Source"), message);
    }
}
