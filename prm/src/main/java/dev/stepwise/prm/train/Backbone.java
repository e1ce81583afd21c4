package dev.stepwise.prm.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * The part of a decoder that the trainer needs: named weights and the final-norm hidden states.
 * {@code dev.stepwise.prm.ProcessRewardModel#backbone()} adapts a core {@code DecoderModel} to it.
 */
public interface Backbone {

    /** Width H of the hidden states. */
    int hiddenSize();

    /** Number of decoder layers; layer i owns the weights named {@code model.layers.i.*}. */
    int layerCount();

    /** Weights by Hugging Face name, float32; the trainer updates trainable ones in place. */
    Map<String, NDArray> weights();

    /**
     * Runs the backbone.
     *
     * @param inputIds (B, T) int64
     * @param attentionMask (B, T) int64, 1 for tokens and 0 for padding
     * @return (B, T, H) float32 hidden states after the final norm
     */
    NDArray hiddenStates(NDArray inputIds, NDArray attentionMask);
}
