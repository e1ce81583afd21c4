package dev.stepwise.core.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.stepwise.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The decoder forward pass written as functional NDArray operations over named weights, so gradients reach any
 * weight with {@code requiresGradient} set and no DJL parameter store is involved.
 *
 * <p>Computes what {@code transformers}' Llama, Qwen2 and Mistral models compute in float32: embed → per layer
 * (RMSNorm → attention with rotate-half rotary embeddings and grouped-query heads → residual → RMSNorm → SwiGLU
 * MLP → residual) → final RMSNorm. Callers own scoping: every array this class creates belongs to the managers of
 * its inputs, so run it inside an {@code NDScope}. Stateless apart from the weight lookup, so safe for concurrent
 * calls.
 */
public final class DecoderForward {

    /** Additive attention bias of masked keys: the lowest float32, as {@code transformers} uses, so rows never NaN. */
    public static final float MASKED = -Float.MAX_VALUE;

    private final ModelConfig config;
    private final Function<String, NDArray> weights;
    private final List<TensorNames.Layer> layers = new ArrayList<>();
    private final float attentionScale;
    private final float rmsNormEps;

    /**
     * @param weights returns the array of a Hugging Face tensor name, or null when the checkpoint lacks it (absent
     *     biases are skipped)
     */
    public DecoderForward(ModelConfig config, Function<String, NDArray> weights) {
        this.config = config;
        this.weights = weights;
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(TensorNames.Layer.of(i));
        }
        this.attentionScale = (float) Math.pow(config.headDim(), -0.5);
        this.rmsNormEps = (float) config.rmsNormEps();
    }

    /**
     * Runs the backbone.
     *
     * @param inputIds (B, T) int64 token ids
     * @param positions (B, T) int64 rotary positions
     * @param attentionBias (B, 1, 1, T, S) float32, 0 where a query may see a key and {@link #MASKED} elsewhere;
     *     S = past length + T
     * @param pastKeys per layer (B, kvHeads, past, headDim) after rotary, or null without a cache
     * @param presentKeys when not null, receives per layer the keys of all S positions; same for values
     * @return (B, T, hidden) float32 after the final norm
     */
    public NDArray run(NDArray inputIds, NDArray positions, NDArray attentionBias, NDArray[] pastKeys,
            NDArray[] pastValues, NDArray[] presentKeys, NDArray[] presentValues) {
        long batch = inputIds.getShape().get(0);
        long length = inputIds.getShape().get(1);

        // embed: a row gather, differentiable with respect to the embedding matrix
        NDArray hidden = weight(TensorNames.EMBED).get(inputIds.reshape(batch * length))
                .reshape(batch, length, config.hiddenSize());
        NDArray[] rotary = Rotary.cosSin(positions, Rotary.inverseFrequencies(config, positions));

        // blocks
        for (int i = 0; i < layers.size(); i++) {
            TensorNames.Layer layer = layers.get(i);
            NDArray normed = rmsNorm(hidden, weight(layer.inputNorm()));
            NDArray[] present = new NDArray[2];
            NDArray attention = attention(layer, normed, rotary, attentionBias,
                    pastKeys == null ? null : pastKeys[i], pastValues == null ? null : pastValues[i], present);
            if (presentKeys != null) {
                presentKeys[i] = present[0];
                presentValues[i] = present[1];
            }
            hidden = hidden.add(attention);
            hidden = hidden.add(mlp(layer, rmsNorm(hidden, weight(layer.postAttentionNorm()))));
        }

        // final norm
        return rmsNorm(hidden, weight(TensorNames.FINAL_NORM));
    }

    private NDArray attention(TensorNames.Layer layer, NDArray normed, NDArray[] rotary, NDArray attentionBias,
            NDArray pastKey, NDArray pastValue, NDArray[] present) {
        long batch = normed.getShape().get(0);
        long length = normed.getShape().get(1);
        int heads = config.numAttentionHeads();
        int keyValueHeads = config.numKeyValueHeads();
        int headDim = config.headDim();

        // project and split heads: (B, T, heads * headDim) -> (B, heads, T, headDim)
        NDArray query = linear(normed, layer.query(), layer.queryBias())
                .reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3);
        NDArray key = linear(normed, layer.key(), layer.keyBias())
                .reshape(batch, length, keyValueHeads, headDim).transpose(0, 2, 1, 3);
        NDArray value = linear(normed, layer.value(), layer.valueBias())
                .reshape(batch, length, keyValueHeads, headDim).transpose(0, 2, 1, 3);
        query = Rotary.apply(query, rotary);
        key = Rotary.apply(key, rotary);
        if (pastKey != null) {
            key = pastKey.concat(key, 2);
            value = pastValue.concat(value, 2);
        }
        present[0] = key;
        present[1] = value;

        // grouped-query attention without copying key/value heads: query heads are grouped as
        // (B, kvHeads, group, T, headDim) and each group broadcasts against its one key/value head
        int group = heads / keyValueHeads;
        NDArray groupedQuery = query.reshape(batch, keyValueHeads, group, length, headDim);
        NDArray keys = key.expandDims(2);
        NDArray scores = groupedQuery.matMul(keys.transpose(0, 1, 2, 4, 3)).mul(attentionScale).add(attentionBias);
        NDArray probabilities = scores.softmax(4);
        NDArray context = probabilities.matMul(value.expandDims(2))
                .reshape(batch, heads, length, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(batch, length, (long) heads * headDim);
        return linear(context, layer.output(), layer.outputBias());
    }

    private NDArray mlp(TensorNames.Layer layer, NDArray normed) {
        NDArray gate = linear(normed, layer.gate(), layer.gateBias());
        NDArray up = linear(normed, layer.up(), layer.upBias());
        NDArray activated = gate.mul(Activation.sigmoid(gate)); // SiLU
        return linear(activated.mul(up), layer.down(), layer.downBias());
    }

    /** RMSNorm: x / sqrt(mean(x²) + eps) * weight over the last axis. */
    private NDArray rmsNorm(NDArray input, NDArray weight) {
        NDArray variance = input.square().mean(new int[] {-1}, true);
        return input.div(variance.add(rmsNormEps).sqrt()).mul(weight);
    }

    private NDArray linear(NDArray input, String weightName, String biasName) {
        NDArray bias = weights.apply(biasName);
        NDList out = bias == null
                ? Linear.linear(input, weight(weightName))
                : Linear.linear(input, weight(weightName), bias);
        return out.singletonOrThrow();
    }

    private NDArray weight(String name) {
        NDArray weight = weights.apply(name);
        if (weight == null) {
            throw new IllegalStateException("model has no tensor " + name
                    + "; it was removed after loading or the checkpoint was not validated");
        }
        return weight;
    }

    /**
     * Builds the additive attention bias for a batch without a cache: query q of row b may see key s when
     * s ≤ q, mask[b, s] = 1 and, with a sliding window w, q − s &lt; w.
     *
     * @param attentionMask (B, T) int64, 1 for tokens, 0 for padding
     * @return (B, 1, 1, T, T) float32
     */
    public static NDArray paddedCausalBias(NDArray attentionMask, Integer slidingWindow) {
        long batch = attentionMask.getShape().get(0);
        int length = Math.toIntExact(attentionMask.getShape().get(1));
        NDArray allowed = causal(attentionMask, 0, length, slidingWindow).expandDims(0)
                .logicalAnd(attentionMask.gt(0).expandDims(1));
        return toBias(allowed).reshape(batch, 1, 1, length, length);
    }

    /**
     * Builds the additive attention bias of one unpadded sequence that extends {@code pastLength} cached positions
     * by {@code length} new ones: shape (1, 1, 1, length, pastLength + length).
     */
    public static NDArray cachedCausalBias(NDArray inputIds, int pastLength, int length, Integer slidingWindow) {
        return toBias(causal(inputIds, pastLength, length, slidingWindow)).reshape(1, 1, 1, length, pastLength + length);
    }

    /** Returns (T, past + T) booleans on the device of {@code like}: query q (at index past + q) may see key s. */
    private static NDArray causal(NDArray like, int pastLength, int length, Integer slidingWindow) {
        NDArray queries = Rotary.arange(like, pastLength, pastLength + length, 1).expandDims(1);
        NDArray keys = Rotary.arange(like, 0, pastLength + length, 1).expandDims(0);
        NDArray allowed = keys.lte(queries);
        if (slidingWindow != null) {
            // NOTE: a query sees itself and window − 1 earlier keys, as recent transformers releases do; some older
            // releases let it see one key more, which changes outputs only past window tokens.
            allowed = allowed.logicalAnd(queries.sub(keys).lt(slidingWindow));
        }
        return allowed;
    }

    private static NDArray toBias(NDArray allowed) {
        return allowed.logicalNot().toType(DataType.FLOAT32, false).mul(MASKED);
    }
}
