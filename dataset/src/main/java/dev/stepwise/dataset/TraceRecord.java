package dev.stepwise.dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One reasoning trace with a label per step: the record model every reader maps its format to.
 *
 * @param id           unique within its source; used in every error and drop report
 * @param source       the dataset or file the record came from, for example {@code processbench/gsm8k}
 * @param problem      the question, without any step
 * @param steps        the solution steps in order, stored as a list and never re-split from joined text
 * @param stepLabels   one label per step: 1 correct, 0 wrong, soft values in [0, 1], or
 *                     {@link StepLabels#IGNORE}
 * @param finalAnswer  the answer the trace gives, or null when unknown
 * @param referenceAnswer the ground-truth answer of the problem, or null when unknown
 * @param outcomeLabel 1 when the final answer is correct, 0 when wrong, null when unknown
 * @param flags        named conditions found while reading, for example
 *                     {@code stray_tag_in_prompt}; see {@link RecordFlags}
 */
public record TraceRecord(String id, String source, String problem, List<String> steps, float[] stepLabels,
                          String finalAnswer, String referenceAnswer, Float outcomeLabel, Set<String> flags) {

    public TraceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(problem, "problem of record " + id);
        steps = List.copyOf(steps);
        stepLabels = stepLabels.clone();
        flags = Set.copyOf(flags);
        if (stepLabels.length != steps.size()) {
            throw new IllegalArgumentException("Record " + id + " has " + steps.size() + " steps but "
                    + stepLabels.length + " step labels; expected one label per step");
        }
        StepLabels.validate(stepLabels, "record " + id);
        if (outcomeLabel != null && !(outcomeLabel >= 0f && outcomeLabel <= 1f)) {
            throw new IllegalArgumentException("Outcome label of record " + id + " must be in [0, 1] or null; found "
                    + outcomeLabel);
        }
    }

    @Override
    public float[] stepLabels() {
        return stepLabels.clone();
    }

    /** Returns a copy with {@code flag} added. */
    public TraceRecord withFlag(String flag) {
        java.util.HashSet<String> more = new java.util.HashSet<>(flags);
        more.add(flag);
        return new TraceRecord(id, source, problem, steps, stepLabels, finalAnswer, referenceAnswer, outcomeLabel, more);
    }

    /** Returns a copy with other steps and labels and the same everything else. */
    public TraceRecord withSteps(List<String> newSteps, float[] newLabels) {
        return new TraceRecord(id, source, problem, newSteps, newLabels, finalAnswer, referenceAnswer, outcomeLabel, flags);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TraceRecord that
                && id.equals(that.id) && source.equals(that.source) && problem.equals(that.problem)
                && steps.equals(that.steps) && Arrays.equals(stepLabels, that.stepLabels)
                && Objects.equals(finalAnswer, that.finalAnswer)
                && Objects.equals(referenceAnswer, that.referenceAnswer)
                && Objects.equals(outcomeLabel, that.outcomeLabel) && flags.equals(that.flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, problem, steps, Arrays.hashCode(stepLabels), finalAnswer, referenceAnswer,
                outcomeLabel, flags);
    }

    @Override
    public String toString() {
        return "TraceRecord[id=" + id + ", source=" + source + ", steps=" + steps.size()
                + ", stepLabels=" + Arrays.toString(stepLabels) + ", outcomeLabel=" + outcomeLabel
                + ", flags=" + flags + "]";
    }
}
