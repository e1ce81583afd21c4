package dev.stepwise.core.model.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.ModelConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotaryTest {

    /** head_dim 8 and theta 10000 give the unscaled inverse frequencies 1, 0.1, 0.01, 0.001. */
    private static ModelConfig config(Map<String, Object> ropeScaling) {
        ModelConfig.Builder builder = ModelConfig.builder(Architecture.LLAMA).hiddenSize(32).numAttentionHeads(4)
                .numKeyValueHeads(4);
        return ropeScaling == null ? builder.build() : builder.set("rope_scaling", ropeScaling).build();
    }

    private static float[] frequencies(ModelConfig config) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray like = manager.zeros(new ai.djl.ndarray.types.Shape(1), DataType.INT64);
            return Rotary.inverseFrequencies(config, like).toFloatArray();
        }
    }

    @Test
    void defaultFrequenciesArePowersOfTheta() {
        assertArrayEquals(new float[] {1f, 0.1f, 0.01f, 0.001f}, frequencies(config(null)), 1e-9f);
    }

    @Test
    void linearScalingDividesEveryFrequency() {
        float[] scaled = frequencies(config(Map.of("rope_type", "linear", "factor", 4.0)));
        assertArrayEquals(new float[] {0.25f, 0.025f, 0.0025f, 0.00025f}, scaled, 1e-9f);
    }

    @Test
    void llama3ScalingSplitsByWavelength() {
        // original context 64: wavelengths 2π/f are 6.3 (below 64/4, kept), 62.8 (between 16 and 64, blended with
        // weight (64/62.8 − 1)/3), 628 and 6283 (above 64/1, divided by 8)
        float[] scaled = frequencies(config(Map.of("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 1.0,
                "high_freq_factor", 4.0, "original_max_position_embeddings", 64)));
        assertArrayEquals(new float[] {1f, 0.013042256f, 0.00125f, 0.000125f}, scaled, 1e-8f);
    }
}
