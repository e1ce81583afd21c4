package dev.stepwise.dataset;

/**
 * Step label values and the helpers that read them.
 *
 * <p>A step label is 1 for a correct step, 0 for a wrong one, a value in [0, 1] for a soft label
 * (the probability that the step is correct), or {@link #IGNORE} for a step that carries no
 * training signal.
 */
public final class StepLabels {

    /** Label of a step that losses and metrics skip; the same value as PyTorch's default ignore index. */
    public static final float IGNORE = -100f;

    private StepLabels() {
    }

    public static boolean isIgnored(float label) {
        return label == IGNORE;
    }

    /**
     * Returns the index of the first step labelled below 0.5 (wrong), or -1 when every labelled step
     * is correct. Ignored steps are skipped.
     */
    public static int firstErrorIndex(float[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (!isIgnored(labels[i]) && labels[i] < 0.5f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks that every label is {@link #IGNORE} or lies in [0, 1].
     *
     * @param where names the record in the error message
     * @throws IllegalArgumentException naming the step index and the value
     */
    public static void validate(float[] labels, String where) {
        for (int i = 0; i < labels.length; i++) {
            float label = labels[i];
            if (!isIgnored(label) && !(label >= 0f && label <= 1f)) {
                throw new IllegalArgumentException("Step label at step " + i + " of " + where
                        + " must be in [0, 1] or " + IGNORE + "; found " + label);
            }
        }
    }
}
