package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TraceRecord;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One row of a step dataset: a trace with its token ids and one score position and label per kept
 * step.
 *
 * @param inputIds        token ids, int64
 * @param scorePositions  index into {@code inputIds} of each step's separator token
 * @param stepLabels      one label per score position: 1, 0, a soft value in [0, 1] or -100 (ignore)
 * @param outcomeLabel    1 or 0 for the final answer, or null when unknown or when the final answer
 *                        was cut
 * @param finalAnswer     nullable
 * @param referenceAnswer nullable
 * @param flags           see {@link dev.stepwise.dataset.RecordFlags}
 * @param rolloutsCorrect per-step count of correct Monte-Carlo rollouts, or null when the dataset
 *                        has no rollout columns
 * @param rolloutsTotal   per-step count of rollouts, or null
 */
public record StepRow(String id, String source, String problem, List<String> steps, long[] inputIds,
                      int[] scorePositions, float[] stepLabels, Float outcomeLabel, String finalAnswer,
                      String referenceAnswer, List<String> flags, int[] rolloutsCorrect, int[] rolloutsTotal) {

    public StepRow {
        Objects.requireNonNull(id, "id");
        steps = List.copyOf(steps);
        flags = List.copyOf(flags);
        if (scorePositions.length != stepLabels.length) {
            throw new IllegalArgumentException("Row " + id + " has " + scorePositions.length
                    + " score positions but " + stepLabels.length + " step labels; expected one label per position");
        }
        for (int i = 0; i < scorePositions.length; i++) {
            if (scorePositions[i] < 0 || scorePositions[i] >= inputIds.length
                    || (i > 0 && scorePositions[i] <= scorePositions[i - 1])) {
                throw new IllegalArgumentException("Row " + id + ": score position " + i + " is " + scorePositions[i]
                        + "; expected increasing positions inside the " + inputIds.length + " input ids");
            }
        }
        checkRolloutColumn(id, "rolloutsCorrect", rolloutsCorrect, stepLabels.length);
        checkRolloutColumn(id, "rolloutsTotal", rolloutsTotal, stepLabels.length);
    }

    private static void checkRolloutColumn(String id, String name, int[] counts, int expected) {
        if (counts != null && counts.length != expected) {
            throw new IllegalArgumentException("Row " + id + " has " + counts.length + " " + name
                    + " entries; expected one per score position (" + expected + ")");
        }
    }

    /**
     * Builds a row from a record and its segmentation, keeping the labels of the kept steps only.
     * The outcome label is dropped when the final answer was cut.
     */
    public static StepRow of(TraceRecord record, StepSegmenter.Segment segment, List<String> flags) {
        int kept = segment.keptSteps();
        float[] labels = Arrays.copyOf(record.stepLabels(), kept);
        Float outcome = segment.finalAnswerKept() ? record.outcomeLabel() : null;
        return new StepRow(record.id(), record.source(), record.problem(), record.steps().subList(0, kept),
                segment.inputIds(), segment.scorePositions(), labels, outcome, record.finalAnswer(),
                record.referenceAnswer(), flags, null, null);
    }

    /** Returns a copy with the two rollout count columns set. */
    public StepRow withRollouts(int[] correct, int[] total) {
        return new StepRow(id, source, problem, steps, inputIds, scorePositions, stepLabels, outcomeLabel,
                finalAnswer, referenceAnswer, flags, correct, total);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StepRow that && id.equals(that.id) && Objects.equals(source, that.source)
                && Objects.equals(problem, that.problem) && steps.equals(that.steps)
                && Arrays.equals(inputIds, that.inputIds) && Arrays.equals(scorePositions, that.scorePositions)
                && Arrays.equals(stepLabels, that.stepLabels) && Objects.equals(outcomeLabel, that.outcomeLabel)
                && Objects.equals(finalAnswer, that.finalAnswer) && Objects.equals(referenceAnswer, that.referenceAnswer)
                && flags.equals(that.flags) && Arrays.equals(rolloutsCorrect, that.rolloutsCorrect)
                && Arrays.equals(rolloutsTotal, that.rolloutsTotal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, problem, steps, Arrays.hashCode(inputIds), Arrays.hashCode(scorePositions),
                Arrays.hashCode(stepLabels), outcomeLabel);
    }

    @Override
    public String toString() {
        return "StepRow[id=" + id + ", inputIds=" + inputIds.length + " tokens, scorePositions="
                + Arrays.toString(scorePositions) + ", stepLabels=" + Arrays.toString(stepLabels)
                + ", outcomeLabel=" + outcomeLabel + ", flags=" + flags + "]";
    }
}
