package dev.stepwise.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named choices that turn a source's annotations into step labels. Written into dataset metadata by
 * {@link #describe()}, so a trained model can be traced back to how its labels were made.
 *
 * <p>The defaults of {@link #sourceConvention()} keep each source's own labels. PRM800K's neutral
 * rating has no default at all: its reader requires {@link #neutralRating} to be set, because common
 * converters disagree on it.
 *
 * @param neutralRating   how a PRM800K rating of 0 becomes a label, or null when not chosen
 * @param afterFirstError what happens to steps after the first wrong step
 * @param labelType       whether labels are stored as hard int8 (0/1) or soft float32 values
 * @param polarity        whether a source label of 1 means a correct or a wrong step
 */
public record LabelPolicy(NeutralRating neutralRating, AfterFirstError afterFirstError, LabelType labelType,
                          Polarity polarity) {

    /** Label given to a neutral (0) PRM800K rating. */
    public enum NeutralRating {
        /** Label 1: the step is acceptable though not progress. */
        POSITIVE,
        /** Label 0. */
        NEGATIVE,
        /** {@link StepLabels#IGNORE}: no training signal. */
        IGNORE
    }

    /** Treatment of the steps after the first wrong step of a trace. */
    public enum AfterFirstError {
        /**
         * Keep the source's labels. Where the source states nothing after the first error
         * (ProcessBench), those steps get {@link StepLabels#IGNORE}.
         */
        SOURCE,
        /** Label every later step 0. */
        NEGATIVE,
        /** Label every later step {@link StepLabels#IGNORE}. */
        IGNORE,
        /** Remove the later steps from the trace. */
        DROP
    }

    /** Storage type of step labels. */
    public enum LabelType {
        /** int8 values 0, 1 and -100; a soft value is rounded at 0.5 (0.5 becomes 1). */
        HARD,
        /** float32 values in [0, 1] and -100. */
        SOFT
    }

    /** Meaning of a source label of 1. */
    public enum Polarity {
        /** 1 means correct, as in PRM800K, Math-Shepherd, ProcessBench and most PRM data. */
        ONE_IS_CORRECT,
        /** 1 means wrong (error-detection data); labels are flipped on reading. */
        ONE_IS_ERROR
    }

    public LabelPolicy {
        Objects.requireNonNull(afterFirstError, "afterFirstError");
        Objects.requireNonNull(labelType, "labelType");
        Objects.requireNonNull(polarity, "polarity");
    }

    /** Keeps the source's labels, stores hard labels, leaves the PRM800K neutral rating unset. */
    public static LabelPolicy sourceConvention() {
        return new LabelPolicy(null, AfterFirstError.SOURCE, LabelType.HARD, Polarity.ONE_IS_CORRECT);
    }

    public LabelPolicy withNeutralRating(NeutralRating rating) {
        return new LabelPolicy(rating, afterFirstError, labelType, polarity);
    }

    public LabelPolicy withAfterFirstError(AfterFirstError after) {
        return new LabelPolicy(neutralRating, after, labelType, polarity);
    }

    public LabelPolicy withLabelType(LabelType type) {
        return new LabelPolicy(neutralRating, afterFirstError, type, polarity);
    }

    public LabelPolicy withPolarity(Polarity newPolarity) {
        return new LabelPolicy(neutralRating, afterFirstError, labelType, newPolarity);
    }

    /**
     * Returns the neutral rating, or throws when the policy leaves it unset.
     *
     * @param where names the file being read in the error message
     */
    public NeutralRating requireNeutralRating(String where) {
        if (neutralRating == null) {
            throw new IllegalArgumentException("Reading PRM800K " + where + " requires an explicit neutral-rating "
                    + "policy, because converters disagree on what a rating of 0 means. Set NeutralRating POSITIVE, "
                    + "NEGATIVE or IGNORE, or on the command line --neutral positive, negative or ignore");
        }
        return neutralRating;
    }

    /** Converts a label from the source's polarity to 1 = correct. Ignored labels pass through. */
    public float orient(float label) {
        if (StepLabels.isIgnored(label) || polarity == Polarity.ONE_IS_CORRECT) {
            return label;
        }
        return 1f - label;
    }

    /**
     * Applies {@link #afterFirstError} and {@link #labelType} to a record whose labels already use
     * 1 = correct.
     *
     * @return the record, possibly with later steps relabelled or removed (flagged
     *         {@link RecordFlags#STEPS_AFTER_ERROR_DROPPED})
     */
    public TraceRecord apply(TraceRecord record) {
        float[] labels = record.stepLabels();
        if (labelType == LabelType.HARD) {
            for (int i = 0; i < labels.length; i++) {
                if (!StepLabels.isIgnored(labels[i])) {
                    labels[i] = labels[i] >= 0.5f ? 1f : 0f;
                }
            }
        }
        int firstError = StepLabels.firstErrorIndex(labels);
        if (firstError < 0 || afterFirstError == AfterFirstError.SOURCE) {
            return record.withSteps(record.steps(), labels);
        }
        if (afterFirstError == AfterFirstError.DROP) {
            if (firstError == labels.length - 1) {
                return record.withSteps(record.steps(), labels);
            }
            float[] kept = java.util.Arrays.copyOf(labels, firstError + 1);
            return record.withSteps(new ArrayList<>(record.steps().subList(0, firstError + 1)), kept)
                    .withFlag(RecordFlags.STEPS_AFTER_ERROR_DROPPED);
        }
        float later = afterFirstError == AfterFirstError.NEGATIVE ? 0f : StepLabels.IGNORE;
        for (int i = firstError + 1; i < labels.length; i++) {
            labels[i] = later;
        }
        return record.withSteps(record.steps(), labels);
    }

    /** Returns a stable one-line description for dataset metadata, for example {@code neutral=unset,after_first_error=SOURCE,...}. */
    public String describe() {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("neutral", neutralRating == null ? "unset" : neutralRating.name());
        parts.put("after_first_error", afterFirstError.name());
        parts.put("label_type", labelType.name());
        parts.put("polarity", polarity.name());
        List<String> pairs = new ArrayList<>();
        parts.forEach((key, value) -> pairs.add(key + "=" + value));
        return String.join(",", pairs);
    }
}
