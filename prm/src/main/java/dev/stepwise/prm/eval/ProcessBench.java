package dev.stepwise.prm.eval;

import java.util.List;
import java.util.TreeSet;

/**
 * The ProcessBench protocol (Zheng et al., 2024, "ProcessBench: Identifying Process Errors in Mathematical
 * Reasoning"): a model predicts the index of the first wrong step of a solution, or −1 when it finds none.
 *
 * <p>Here the predicted first error is the first step whose score is below the threshold. Accuracy is measured
 * separately on erroneous samples (label ≥ 0, the prediction must equal the label) and on correct samples
 * (label −1, the prediction must be −1), and F1 is their harmonic mean.
 */
public final class ProcessBench {

    private ProcessBench() {}

    /**
     * One labelled solution with its step scores.
     *
     * @param firstErrorStep index of the first wrong step, or −1 when all steps are correct
     * @param stepScores one score in [0, 1] per step, in step order
     */
    public record Sample(int firstErrorStep, float[] stepScores) {
        public Sample {
            if (firstErrorStep < -1 || firstErrorStep >= stepScores.length) {
                throw new IllegalArgumentException("firstErrorStep must be −1 or a step index below "
                        + stepScores.length + ", found " + firstErrorStep);
            }
        }
    }

    /**
     * The protocol's three numbers, each in [0, 1], NaN when its sample group is empty.
     *
     * @param erroneousAccuracy accuracy on samples with a wrong step
     * @param correctAccuracy accuracy on samples without a wrong step
     * @param f1 harmonic mean of the two accuracies, 0 when both are 0
     * @param threshold the threshold the predictions used
     */
    public record Result(double erroneousAccuracy, double correctAccuracy, double f1, double threshold) {}

    /** Returns the index of the first step scored below {@code threshold}, or −1. */
    public static int predictFirstError(float[] stepScores, double threshold) {
        for (int i = 0; i < stepScores.length; i++) {
            if (stepScores[i] < threshold) {
                return i;
            }
        }
        return -1;
    }

    /** Evaluates the samples at one threshold. */
    public static Result evaluate(List<Sample> samples, double threshold) {
        int erroneous = 0;
        int erroneousHits = 0;
        int correct = 0;
        int correctHits = 0;
        for (Sample sample : samples) {
            int predicted = predictFirstError(sample.stepScores(), threshold);
            if (sample.firstErrorStep() >= 0) {
                erroneous++;
                erroneousHits += predicted == sample.firstErrorStep() ? 1 : 0;
            } else {
                correct++;
                correctHits += predicted == -1 ? 1 : 0;
            }
        }
        double erroneousAccuracy = erroneous == 0 ? Double.NaN : (double) erroneousHits / erroneous;
        double correctAccuracy = correct == 0 ? Double.NaN : (double) correctHits / correct;
        return new Result(erroneousAccuracy, correctAccuracy, harmonicMean(erroneousAccuracy, correctAccuracy),
                threshold);
    }

    /**
     * Finds the threshold with the highest F1 on validation samples. Candidates are the midpoints between
     * consecutive distinct step scores plus one value below and one above all scores, so every distinct
     * prediction pattern is tried; ties keep the candidate closest to 0.5.
     *
     * @throws IllegalArgumentException when there are no samples
     */
    public static Result sweepThreshold(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("threshold sweep needs at least one validation sample, found none");
        }
        TreeSet<Float> distinct = new TreeSet<>();
        for (Sample sample : samples) {
            for (float score : sample.stepScores()) {
                distinct.add(score);
            }
        }
        TreeSet<Double> candidates = new TreeSet<>();
        Float previous = null;
        for (float score : distinct) {
            if (previous != null) {
                candidates.add((previous + score) / 2.0);
            }
            previous = score;
        }
        candidates.add(distinct.isEmpty() ? 0.5 : Math.max(1e-6, distinct.first() / 2.0));
        candidates.add(distinct.isEmpty() ? 0.5 : Math.min(1 - 1e-6, (distinct.last() + 1) / 2.0));
        Result best = null;
        for (double candidate : candidates) {
            if (candidate <= 0 || candidate >= 1) {
                continue;
            }
            Result result = evaluate(samples, candidate);
            if (best == null || better(result, best)) {
                best = result;
            }
        }
        return best != null ? best : evaluate(samples, 0.5);
    }

    private static boolean better(Result candidate, Result best) {
        double a = Double.isNaN(candidate.f1()) ? -1 : candidate.f1();
        double b = Double.isNaN(best.f1()) ? -1 : best.f1();
        if (a != b) {
            return a > b;
        }
        return Math.abs(candidate.threshold() - 0.5) < Math.abs(best.threshold() - 0.5);
    }

    private static double harmonicMean(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) ? b : a;
        }
        return a + b == 0 ? 0 : 2 * a * b / (a + b);
    }
}
