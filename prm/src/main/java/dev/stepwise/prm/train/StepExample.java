package dev.stepwise.prm.train;

import java.util.Arrays;

/**
 * One PRM training row, as the dataset's Arrow files store it.
 *
 * @param inputIds token ids of problem and steps
 * @param scorePositions index of each step's separator token, increasing
 * @param stepLabels per step: 1 correct, 0 wrong, a Monte-Carlo estimate in between, or
 *     {@link StepLosses#IGNORE_LABEL}
 */
public record StepExample(long[] inputIds, int[] scorePositions, float[] stepLabels) {

    public StepExample {
        if (scorePositions.length != stepLabels.length) {
            throw new IllegalArgumentException("one label per score position expected, found " + scorePositions.length
                    + " positions and " + stepLabels.length + " labels");
        }
        int previous = -1;
        for (int position : scorePositions) {
            if (position <= previous || position >= inputIds.length) {
                throw new IllegalArgumentException("score positions must increase and be below the sequence length "
                        + inputIds.length + ", found " + Arrays.toString(scorePositions));
            }
            previous = position;
        }
        StepLosses.labelledCount(stepLabels);
    }
}
