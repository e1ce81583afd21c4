package dev.stepwise.dataset.autolabel.internal;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.autolabel.AutolabelConfig.Strategy;
import java.util.Arrays;

/**
 * Labels and rollout counts of one record, or the reason it gets none.
 *
 * @param labels one label per step, {@link StepLabels#IGNORE} where unknown; null when skipped
 * @param correct correct rollouts per step (1 or 0 for a directly graded last step)
 * @param total graded rollouts per step (0 where the label was inferred or the step failed)
 * @param skipReason why the record is left out of the output, or null
 * @param failedSteps steps left unlabeled because generation failed
 */
public record RecordLabels(float[] labels, int[] correct, int[] total, String skipReason, int failedSteps) {

    public static RecordLabels skipped(String reason) {
        return new RecordLabels(null, null, null, reason, 0);
    }

    public boolean isSkipped() {
        return skipReason != null;
    }

    /**
     * Labels every step from its own rollouts (MC). A step whose counts are unavailable gets
     * {@link StepLabels#IGNORE}; the last step takes the final grade when {@code finalGradeLabelsLast}.
     */
    public static RecordLabels monteCarlo(Trace trace, char finalVerdict, boolean finalGradeLabelsLast,
            LabelPolicy.LabelType labelType, ProbeSource source) {
        int stepCount = trace.steps().size();
        float[] labels = new float[stepCount];
        int[] correct = new int[stepCount];
        int[] total = new int[stepCount];
        int failed = 0;
        int probedSteps = finalGradeLabelsLast ? stepCount - 1 : stepCount;
        for (int step = 0; step < probedSteps; step++) {
            try {
                Counts counts = source.probe(trace, step);
                correct[step] = counts.correct();
                total[step] = counts.graded();
                labels[step] = label(counts, labelType);
            } catch (ProbeSource.ProbeFailedException e) {
                labels[step] = StepLabels.IGNORE;
                failed++;
            }
        }
        if (finalGradeLabelsLast) {
            setFinal(labels, correct, total, stepCount - 1, finalVerdict);
        }
        return finish(labels, correct, total, failed);
    }

    /**
     * Labels by a binary search for the first step whose prefix reaches the reference in none of its
     * rollouts: steps before it get 1, it and later steps get 0. A correct final answer labels every
     * step 1 with no rollouts. Assumes a prefix that fails makes every longer prefix fail.
     */
    public static RecordLabels firstError(Trace trace, char finalVerdict, boolean finalGradeLabelsLast,
            ProbeSource source) {
        int stepCount = trace.steps().size();
        if (finalVerdict != Verdicts.CORRECT && finalVerdict != Verdicts.INCORRECT) {
            return skipped("final_answer_ungradable");
        }
        int[] correct = new int[stepCount];
        int[] total = new int[stepCount];
        int firstError = stepCount;
        if (finalVerdict == Verdicts.INCORRECT) {
            // Invariant: the prefix ending at hi fails; position stepCount stands for the full
            // solution when its last step is not in the row.
            int low = 0;
            int high = finalGradeLabelsLast ? stepCount - 1 : stepCount;
            while (low < high) {
                int middle = (low + high) >>> 1;
                Counts counts;
                try {
                    counts = source.probe(trace, middle);
                } catch (ProbeSource.ProbeFailedException e) {
                    return skipped("generation_failed_" + e.reason().toLowerCase(java.util.Locale.ROOT));
                }
                correct[middle] = counts.correct();
                total[middle] = counts.graded();
                if (counts.correct() == 0) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            firstError = low;
        }
        float[] labels = new float[stepCount];
        for (int step = 0; step < stepCount; step++) {
            labels[step] = step < firstError ? 1f : 0f;
        }
        if (finalGradeLabelsLast) {
            setFinal(labels, correct, total, stepCount - 1, finalVerdict);
        }
        return finish(labels, correct, total, 0);
    }

    /** Chooses the labeling of {@code strategy}. */
    public static RecordLabels of(Strategy strategy, Trace trace, char finalVerdict, boolean finalGradeLabelsLast,
            LabelPolicy.LabelType labelType, ProbeSource source) {
        return strategy == Strategy.MC
                ? monteCarlo(trace, finalVerdict, finalGradeLabelsLast, labelType, source)
                : firstError(trace, finalVerdict, finalGradeLabelsLast, source);
    }

    private static float label(Counts counts, LabelPolicy.LabelType labelType) {
        if (counts.graded() == 0) {
            return StepLabels.IGNORE;
        }
        if (labelType == LabelPolicy.LabelType.HARD) {
            return counts.correct() > 0 ? 1f : 0f;
        }
        return (float) counts.correct() / counts.graded();
    }

    private static void setFinal(float[] labels, int[] correct, int[] total, int last, char finalVerdict) {
        if (finalVerdict == Verdicts.CORRECT || finalVerdict == Verdicts.INCORRECT) {
            correct[last] = finalVerdict == Verdicts.CORRECT ? 1 : 0;
            total[last] = 1;
            labels[last] = correct[last];
        } else {
            correct[last] = 0;
            total[last] = 0;
            labels[last] = StepLabels.IGNORE;
        }
    }

    private static RecordLabels finish(float[] labels, int[] correct, int[] total, int failed) {
        boolean anyLabel = false;
        for (float label : labels) {
            anyLabel |= !StepLabels.isIgnored(label);
        }
        if (!anyLabel) {
            return skipped(failed > 0 ? "generation_failed" : "no_gradable_step");
        }
        return new RecordLabels(labels, correct, total, null, failed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordLabels that && Arrays.equals(labels, that.labels)
                && Arrays.equals(correct, that.correct) && Arrays.equals(total, that.total)
                && java.util.Objects.equals(skipReason, that.skipReason) && failedSteps == that.failedSteps;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(labels), Arrays.hashCode(correct), skipReason);
    }
}
