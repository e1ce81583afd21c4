package dev.stepwise.prm.eval;

import java.util.Arrays;
import java.util.Comparator;

/** Threshold-free and thresholded metrics of scores against binary labels (true = positive, a correct step). */
public final class BinaryMetrics {

    private BinaryMetrics() {}

    /**
     * Computes the area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
     * scores higher than a random negative, counting ties as one half.
     *
     * @return NaN when either class is absent, because the area is then undefined
     * @throws IllegalArgumentException when the arrays differ in length or a score is not finite
     */
    public static double rocAuc(float[] scores, boolean[] positive) {
        checkLengths(scores, positive);
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Computes the fraction of items whose prediction {@code score >= threshold} matches the label.
     *
     * @return NaN for empty input
     */
    public static double accuracy(float[] scores, boolean[] positive, double threshold) {
        checkLengths(scores, positive);
        if (scores.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < scores.length; i++) {
            if ((scores[i] >= threshold) == positive[i]) {
                correct++;
            }
        }
        return (double) correct / scores.length;
    }

    private static void checkLengths(float[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "scores and labels must have the same length, found " + scores.length + " and " + positive.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("score at index " + i + " is not finite: " + scores[i]);
            }
        }
    }
}
