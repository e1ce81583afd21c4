package dev.stepwise.core.model.internal;

import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hugging Face tensor names of a decoder checkpoint and the shapes a config implies for them. */
public final class TensorNames {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** Sequence-classification head: Linear(hidden, num_labels), no bias. */
    public static final String SCORE = "score.weight";
    /** Process-reward head of Qwen2.5-Math-PRM: score.0 Linear(hidden, hidden), ReLU, score.2 Linear(hidden, 2). */
    public static final String PRM_SCORE_0_WEIGHT = "score.0.weight";
    public static final String PRM_SCORE_0_BIAS = "score.0.bias";
    public static final String PRM_SCORE_2_WEIGHT = "score.2.weight";
    public static final String PRM_SCORE_2_BIAS = "score.2.bias";

    private TensorNames() {}

    /** The tensor names of one decoder layer. */
    public record Layer(
            String inputNorm,
            String query,
            String queryBias,
            String key,
            String keyBias,
            String value,
            String valueBias,
            String output,
            String outputBias,
            String postAttentionNorm,
            String gate,
            String gateBias,
            String up,
            String upBias,
            String down,
            String downBias) {

        public static Layer of(int index) {
            String attention = "model.layers." + index + ".self_attn.";
            String mlp = "model.layers." + index + ".mlp.";
            return new Layer(
                    "model.layers." + index + ".input_layernorm.weight",
                    attention + "q_proj.weight",
                    attention + "q_proj.bias",
                    attention + "k_proj.weight",
                    attention + "k_proj.bias",
                    attention + "v_proj.weight",
                    attention + "v_proj.bias",
                    attention + "o_proj.weight",
                    attention + "o_proj.bias",
                    "model.layers." + index + ".post_attention_layernorm.weight",
                    mlp + "gate_proj.weight",
                    mlp + "gate_proj.bias",
                    mlp + "up_proj.weight",
                    mlp + "up_proj.bias",
                    mlp + "down_proj.weight",
                    mlp + "down_proj.bias");
        }
    }

    /** Returns every backbone tensor the config requires (no heads), with its shape, in layer order. */
    public static Map<String, Shape> backbone(ModelConfig config) {
        long hidden = config.hiddenSize();
        long queryWidth = (long) config.numAttentionHeads() * config.headDim();
        long keyValueWidth = (long) config.numKeyValueHeads() * config.headDim();
        long intermediate = config.intermediateSize();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(EMBED, new Shape(config.vocabSize(), hidden));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            Layer layer = Layer.of(i);
            shapes.put(layer.inputNorm(), new Shape(hidden));
            shapes.put(layer.query(), new Shape(queryWidth, hidden));
            shapes.put(layer.key(), new Shape(keyValueWidth, hidden));
            shapes.put(layer.value(), new Shape(keyValueWidth, hidden));
            if (config.attentionBias()) {
                shapes.put(layer.queryBias(), new Shape(queryWidth));
                shapes.put(layer.keyBias(), new Shape(keyValueWidth));
                shapes.put(layer.valueBias(), new Shape(keyValueWidth));
            }
            shapes.put(layer.output(), new Shape(hidden, queryWidth));
            if (config.attentionOutputBias()) {
                shapes.put(layer.outputBias(), new Shape(hidden));
            }
            shapes.put(layer.postAttentionNorm(), new Shape(hidden));
            shapes.put(layer.gate(), new Shape(intermediate, hidden));
            shapes.put(layer.up(), new Shape(intermediate, hidden));
            shapes.put(layer.down(), new Shape(hidden, intermediate));
            if (config.mlpBias()) {
                shapes.put(layer.gateBias(), new Shape(intermediate));
                shapes.put(layer.upBias(), new Shape(intermediate));
                shapes.put(layer.downBias(), new Shape(hidden));
            }
        }
        shapes.put(FINAL_NORM, new Shape(hidden));
        return shapes;
    }

    /**
     * Returns the head tensors a freshly initialised model of this config gets, from its {@code architectures}
     * classes: {@code lm_head} for causal LMs with untied embeddings, {@code score} for sequence classification,
     * {@code score.0}/{@code score.2} for Qwen2's process reward model.
     */
    public static Map<String, Shape> heads(ModelConfig config) {
        long hidden = config.hiddenSize();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String className : config.architectures()) {
            if (className.endsWith("ForCausalLM") && !config.tieWordEmbeddings()) {
                shapes.put(LM_HEAD, new Shape(config.vocabSize(), hidden));
            } else if (className.endsWith("ForSequenceClassification")) {
                shapes.put(SCORE, new Shape(config.numLabels(), hidden));
            } else if (className.equals("Qwen2ForProcessRewardModel")) {
                shapes.put(PRM_SCORE_0_WEIGHT, new Shape(hidden, hidden));
                shapes.put(PRM_SCORE_0_BIAS, new Shape(hidden));
                shapes.put(PRM_SCORE_2_WEIGHT, new Shape(2, hidden));
                shapes.put(PRM_SCORE_2_BIAS, new Shape(2));
            }
        }
        return shapes;
    }

    /** Returns whether random initialisation sets this tensor to ones (norm weights) rather than random or zero. */
    public static boolean isNorm(String name) {
        return name.endsWith("layernorm.weight") || name.equals(FINAL_NORM);
    }

    public static boolean isBias(String name) {
        return name.endsWith(".bias");
    }
}
