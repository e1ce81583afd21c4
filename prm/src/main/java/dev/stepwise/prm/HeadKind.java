package dev.stepwise.prm;

/**
 * The layout of a reward head on top of the backbone's final hidden states. Published PRMs use all three.
 *
 * <p>Every kind reads the hidden state at a score position (for a PRM, the step separator token that
 * {@code StepSegmenter} places after each step) and turns it into one score in [0, 1].
 */
public enum HeadKind {
    /**
     * Qwen2.5-Math-PRM layout: {@code score.0} Linear(h, h) → ReLU → {@code score.2} Linear(h, 2); the score is
     * softmax(logits)[1], the probability of the positive class.
     */
    TWO_CLASS("score.0.weight", "score.0.bias", "score.2.weight", "score.2.bias"),

    /** One logit, {@code score.weight} (1, h) without bias as in {@code LlamaForSequenceClassification}; score = sigmoid. */
    SIGMOID("score.weight"),

    /**
     * The language-model head restricted to two label tokens (Math-Shepherd, RLHFlow): the score is
     * p(positive) / (p(positive) + p(negative)) from the logits at the score position itself, that is the
     * next-token distribution after the tag token. Only the two label rows of {@code lm_head.weight} are used.
     */
    LM_LABEL_TOKENS();

    private final String[] tensorNames;

    HeadKind(String... tensorNames) {
        this.tensorNames = tensorNames;
    }

    /** Hugging Face names of the head tensors this kind adds to the backbone; empty for {@link #LM_LABEL_TOKENS}. */
    public java.util.List<String> tensorNames() {
        return java.util.List.of(tensorNames);
    }
}
