package dev.stepwise.prm.train;

/** Set of weights a training run updates. The head is always trained. */
public enum TrainableScope {
    /** Only the head; the backbone stays bit-identical. */
    HEAD,
    /** The head, the last N decoder layers and the final norm ({@code model.norm.weight}). */
    LAST_LAYERS,
    /** The head and every backbone weight except {@code lm_head.weight}. */
    ALL
}
