package dev.stepwise.orm;

import dev.stepwise.prm.eval.BinaryMetrics;

/** Metrics of outcome scores: accuracy and ROC-AUC against outcome labels, pairwise accuracy on preference pairs. */
public final class OutcomeMetrics {

    private OutcomeMetrics() {}

    /** Fraction of answers whose prediction {@code score >= threshold} matches the label; NaN for no answers. */
    public static double accuracy(float[] scores, boolean[] correct, double threshold) {
        return BinaryMetrics.accuracy(scores, correct, threshold);
    }

    /** Area under the ROC curve; NaN when all answers are correct or all are wrong. */
    public static double rocAuc(float[] scores, boolean[] correct) {
        return BinaryMetrics.rocAuc(scores, correct);
    }

    /**
     * Fraction of pairs whose chosen answer scores strictly higher than the rejected one; a tie counts as a miss.
     *
     * @return NaN for no pairs
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static double pairwiseAccuracy(float[] chosenScores, float[] rejectedScores) {
        if (chosenScores.length != rejectedScores.length) {
            throw new IllegalArgumentException("one rejected score per chosen score expected, found "
                    + chosenScores.length + " and " + rejectedScores.length);
        }
        if (chosenScores.length == 0) {
            return Double.NaN;
        }
        int wins = 0;
        for (int i = 0; i < chosenScores.length; i++) {
            wins += chosenScores[i] > rejectedScores[i] ? 1 : 0;
        }
        return (double) wins / chosenScores.length;
    }
}
