package dev.stepwise.prm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Losses of a reward head, always computed from logits and never from probabilities.
 *
 * <p>Each head reduces to one logit z per score position with score = sigmoid(z): the sigmoid head's logit, or
 * logit(positive) − logit(negative) for the two-class and label-token heads. With two classes, softmax cross-entropy
 * against a hard label y ∈ {0, 1} and binary cross-entropy of sigmoid(z) against y are the same number, so one
 * formula covers hard labels and soft Monte-Carlo targets y ∈ [0, 1]:
 *
 * <pre>loss(z, y) = max(z, 0) − z·y + log(1 + exp(−|z|))</pre>
 *
 * which never overflows. Positions whose label equals {@link #IGNORE_LABEL} add nothing and are not counted.
 */
public final class StepLosses {

    /** Label value that marks a position without a label, as in the dataset's {@code step_labels} column. */
    public static final float IGNORE_LABEL = -100f;

    private StepLosses() {}

    /**
     * Sums the binary cross-entropy over labelled positions.
     *
     * @param logits (N) float32 logits of the positive class
     * @param labels (N) float32 targets in [0, 1], or {@link #IGNORE_LABEL}
     * @return a scalar float32 array with the sum; divide by {@link #labelledCount(float[])} for the mean
     */
    public static NDArray binaryCrossEntropySum(NDArray logits, NDArray labels) {
        if (!logits.getShape().equals(labels.getShape())) {
            throw new IllegalArgumentException("logits and labels must have the same shape, found logits "
                    + logits.getShape() + " and labels " + labels.getShape());
        }
        NDArray labelled = labels.neq(IGNORE_LABEL).toType(DataType.FLOAT32, false);
        NDArray targets = labels.mul(labelled);
        NDArray perPosition = logits.maximum(0f)
                .sub(logits.mul(targets))
                .add(logits.abs().neg().exp().add(1f).log());
        return perPosition.mul(labelled).sum();
    }

    /**
     * Computes the mean binary cross-entropy over labelled positions.
     *
     * @throws IllegalArgumentException when no position is labelled, because the mean is then undefined
     */
    public static NDArray binaryCrossEntropyMean(NDArray logits, NDArray labels) {
        int count = labelledCount(labels.toFloatArray());
        if (count == 0) {
            throw new IllegalArgumentException("no labelled position among " + labels.size() + " (all labels are "
                    + IGNORE_LABEL + ")");
        }
        return binaryCrossEntropySum(logits, labels).div(count);
    }

    /**
     * Counts the labels that are not {@link #IGNORE_LABEL}.
     *
     * @throws IllegalArgumentException when a label is outside [0, 1] and not the ignore value, naming its index
     */
    public static int labelledCount(float[] labels) {
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            float label = labels[i];
            if (label == IGNORE_LABEL) {
                continue;
            }
            if (!(label >= 0f && label <= 1f)) {
                throw new IllegalArgumentException("label at index " + i + " must be in [0, 1] or " + IGNORE_LABEL
                        + ", found " + label);
            }
            count++;
        }
        return count;
    }
}
