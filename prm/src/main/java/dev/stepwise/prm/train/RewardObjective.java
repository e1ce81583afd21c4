package dev.stepwise.prm.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Contribution of a training example to the loss: its token sequences, where the head reads them, and the loss of the
 * positive-class logits read there.
 *
 * @param <E> the example type
 */
public interface RewardObjective<E> {

    /** Token sequences of one example: one for pointwise objectives, chosen then rejected for pairwise ones. */
    List<long[]> sequences(E example);

    /** Positions (0-based token indices) of sequence {@code sequenceIndex} where the head is read. */
    int[] scorePositions(E example, int sequenceIndex);

    /** Number of labelled items of the example; the batch loss is the loss sum over the batch's labelled count. */
    int labelCount(E example);

    /**
     * Sums the loss of a micro-batch.
     *
     * @param logits (N) float32 positive-class logits in the order examples, sequences, positions
     * @param batch the examples the logits came from
     * @return a scalar float32 array
     */
    NDArray lossSum(NDArray logits, List<E> batch);
}
