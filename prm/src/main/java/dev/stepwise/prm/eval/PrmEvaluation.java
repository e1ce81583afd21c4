package dev.stepwise.prm.eval;

import dev.stepwise.dataset.StepSegmenter.Segment;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.train.StepLosses;
import java.util.ArrayList;
import java.util.List;

/** Scores dataset rows with a PRM and computes step-level and ProcessBench metrics. */
public final class PrmEvaluation {

    private PrmEvaluation() {}

    /**
     * Metrics of one evaluation.
     *
     * @param samples rows evaluated
     * @param labelledSteps steps with a label (not the ignore value)
     * @param stepRocAuc ROC-AUC of step scores against step labels (label ≥ 0.5 is positive); NaN with one class
     * @param stepAccuracy accuracy of {@code score >= threshold} against the labels
     * @param processBench the ProcessBench protocol at the threshold
     */
    public record Report(int samples, int labelledSteps, double stepRocAuc, double stepAccuracy,
            ProcessBench.Result processBench) {}

    /** Scores every row's score positions, {@code batchSize} rows per forward pass. */
    public static float[][] score(ProcessRewardModel model, List<StepRow> rows, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
        }
        float[][] scores = new float[rows.size()][];
        for (int from = 0; from < rows.size(); from += batchSize) {
            List<Segment> batch = new ArrayList<>();
            for (StepRow row : rows.subList(from, Math.min(rows.size(), from + batchSize))) {
                int steps = row.scorePositions().length;
                batch.add(new Segment(row.inputIds(), row.scorePositions(), steps, steps, false, true));
            }
            float[][] batchScores = model.scoreSegments(batch);
            System.arraycopy(batchScores, 0, scores, from, batchScores.length);
        }
        return scores;
    }

    /**
     * Turns rows and their scores into ProcessBench samples. The first error is the first step labelled below 0.5,
     * or −1 when every labelled step is correct; rows without any labelled step are skipped.
     */
    public static List<ProcessBench.Sample> samples(List<StepRow> rows, float[][] scores) {
        List<ProcessBench.Sample> samples = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            float[] labels = rows.get(r).stepLabels();
            int firstError = -1;
            boolean anyLabel = false;
            for (int s = 0; s < labels.length; s++) {
                if (labels[s] == StepLosses.IGNORE_LABEL) {
                    continue;
                }
                anyLabel = true;
                if (labels[s] < 0.5f) {
                    firstError = s;
                    break;
                }
            }
            if (anyLabel) {
                samples.add(new ProcessBench.Sample(firstError, scores[r]));
            }
        }
        return samples;
    }

    /** Computes all metrics of already scored rows at one threshold. */
    public static Report report(List<StepRow> rows, float[][] scores, double threshold) {
        List<Float> stepScores = new ArrayList<>();
        List<Boolean> stepLabels = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            float[] labels = rows.get(r).stepLabels();
            for (int s = 0; s < labels.length; s++) {
                if (labels[s] != StepLosses.IGNORE_LABEL) {
                    stepScores.add(scores[r][s]);
                    stepLabels.add(labels[s] >= 0.5f);
                }
            }
        }
        float[] flatScores = new float[stepScores.size()];
        boolean[] flatLabels = new boolean[stepLabels.size()];
        for (int i = 0; i < flatScores.length; i++) {
            flatScores[i] = stepScores.get(i);
            flatLabels[i] = stepLabels.get(i);
        }
        return new Report(rows.size(), flatScores.length, BinaryMetrics.rocAuc(flatScores, flatLabels),
                BinaryMetrics.accuracy(flatScores, flatLabels, threshold),
                ProcessBench.evaluate(samples(rows, scores), threshold));
    }
}
