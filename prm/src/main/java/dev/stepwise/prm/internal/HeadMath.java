package dev.stepwise.prm.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.prm.HeadKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Forward pass of the reward heads on features gathered at score positions.
 *
 * <p>Head tensors use Hugging Face names ({@code score.0.weight}, {@code score.weight}); the label-token head keeps
 * the two rows of {@code lm_head.weight} under {@link #POSITIVE_ROW} and {@link #NEGATIVE_ROW} until they are
 * written back into the full matrix.
 */
public final class HeadMath {

    /** Key of the positive label token's row of {@code lm_head.weight}, shape (H). */
    public static final String POSITIVE_ROW = "lm_head.weight[positive]";
    /** Key of the negative label token's row of {@code lm_head.weight}, shape (H). */
    public static final String NEGATIVE_ROW = "lm_head.weight[negative]";

    /** Standard deviation of new head weights, the {@code initializer_range} default of Llama and Qwen2 configs. */
    public static final double INIT_STD = 0.02;

    private HeadMath() {}

    /**
     * Computes the positive-class logit z per feature row, so that score = sigmoid(z).
     *
     * @param features (N, H) float32 hidden states at score positions
     * @return (N) float32
     */
    public static NDArray positiveLogits(HeadKind kind, Map<String, NDArray> head, NDArray features) {
        switch (kind) {
            case TWO_CLASS: {
                NDArray hidden = linear(features, head.get("score.0.weight"), head.get("score.0.bias")).maximum(0f);
                NDArray logits = linear(hidden, head.get("score.2.weight"), head.get("score.2.bias"));
                return logits.get(":, 1").sub(logits.get(":, 0"));
            }
            case SIGMOID:
                return features.matMul(head.get("score.weight").transpose()).reshape(-1);
            case LM_LABEL_TOKENS: {
                NDArray difference = head.get(POSITIVE_ROW).sub(head.get(NEGATIVE_ROW));
                return features.matMul(difference.reshape(-1, 1)).reshape(-1);
            }
            default:
                throw new UnsupportedOperationException("head kind " + kind);
        }
    }

    /**
     * Creates new head tensors with normal(0, {@link #INIT_STD}) weights and zero biases from a seeded Java random
     * generator, so the same seed gives the same head on every engine and device.
     *
     * @throws UnsupportedOperationException for {@link HeadKind#LM_LABEL_TOKENS}, whose rows come from the backbone
     */
    public static Map<String, NDArray> initialize(HeadKind kind, int hiddenSize, long seed, NDManager manager) {
        Random random = new Random(seed);
        Map<String, NDArray> head = new LinkedHashMap<>();
        switch (kind) {
            case TWO_CLASS:
                head.put("score.0.weight", normal(manager, random, hiddenSize, hiddenSize));
                head.put("score.0.bias", manager.zeros(new Shape(hiddenSize)));
                head.put("score.2.weight", normal(manager, random, 2, hiddenSize));
                head.put("score.2.bias", manager.zeros(new Shape(2)));
                break;
            case SIGMOID:
                head.put("score.weight", normal(manager, random, 1, hiddenSize));
                break;
            default:
                throw new UnsupportedOperationException(
                        "head kind " + kind + " takes its rows from lm_head.weight; it has no fresh initialisation");
        }
        return head;
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.matMul(weight.transpose()).add(bias);
    }

    private static NDArray normal(NDManager manager, Random random, int rows, int columns) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * INIT_STD);
        }
        return manager.create(values, new Shape(rows, columns));
    }
}
