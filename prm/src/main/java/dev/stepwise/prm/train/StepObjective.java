package dev.stepwise.prm.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Binary cross-entropy from logits at every labelled step separator (see {@link StepLosses}). */
public final class StepObjective implements RewardObjective<StepExample> {

    @Override
    public List<long[]> sequences(StepExample example) {
        return List.of(example.inputIds());
    }

    @Override
    public int[] scorePositions(StepExample example, int sequenceIndex) {
        return example.scorePositions();
    }

    @Override
    public int labelCount(StepExample example) {
        return StepLosses.labelledCount(example.stepLabels());
    }

    @Override
    public NDArray lossSum(NDArray logits, List<StepExample> batch) {
        int total = 0;
        for (StepExample example : batch) {
            total += example.stepLabels().length;
        }
        float[] labels = new float[total];
        int offset = 0;
        for (StepExample example : batch) {
            System.arraycopy(example.stepLabels(), 0, labels, offset, example.stepLabels().length);
            offset += example.stepLabels().length;
        }
        NDArray labelArray = logits.getManager().create(labels);
        return StepLosses.binaryCrossEntropySum(logits, labelArray.toDevice(logits.getDevice(), false));
    }
}
