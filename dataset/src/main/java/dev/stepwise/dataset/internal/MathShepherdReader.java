package dev.stepwise.dataset.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.RecordFlags;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceReader;
import dev.stepwise.dataset.TraceRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Math-Shepherd rows in two layouts.
 *
 * <p>{@code input}/{@code label}: {@code input} has the step tag after each step and {@code label}
 * is the same text with a +/- mark in place of each tag. The two texts are walked in parallel, so
 * a tag and its mark may differ in length (the default tag {@code ки} has 2 characters, a mark 1).
 * The question ends where the first {@code Step 1:} marker starts; a tag before it is a stray
 * annotation, dropped with its mark and flagged {@code stray_tag_in_prompt}.
 *
 * <p>{@code question}/{@code process}/{@code labels}: {@code process} is split at the tags and the
 * labels list gives one label per step.
 */
public final class MathShepherdReader implements TraceReader {

    private static final Pattern FIRST_STEP = Pattern.compile("Step\\s*:?\\s*1\\s*:");

    private final ReaderOptions options;
    private final String source;

    public MathShepherdReader(ReaderOptions options) {
        this.options = options;
        this.source = options.source() != null ? options.source() : TraceFormat.MATH_SHEPHERD.cliName();
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.MATH_SHEPHERD;
    }

    @Override
    public List<TraceRecord> map(JsonNode value, String fallbackId, ImportStats stats) {
        String id = Fields.optionalText(value, "id") != null ? Fields.optionalText(value, "id") : fallbackId;
        if (value.has("input") && value.has("label")) {
            return List.of(fromInputAndLabel(id, Fields.requiredText(value, id, "input"),
                    Fields.requiredText(value, id, "label")));
        }
        if (value.has("process") && value.has("labels")) {
            return List.of(fromProcess(id, value));
        }
        throw new RejectedRecordException(id, "missing_field",
                "expected fields input and label, or question, process and labels");
    }

    private TraceRecord fromInputAndLabel(String id, String input, String label) {
        String tag = options.stepTag();
        List<String> segments = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        int inputAt = 0;
        int labelAt = 0;
        while (true) {
            int tagAt = input.indexOf(tag, inputAt);
            String segment = input.substring(inputAt, tagAt < 0 ? input.length() : tagAt);
            if (!label.startsWith(segment, labelAt)) {
                throw new RejectedRecordException(id, "label_text_mismatch", "label text differs from input text"
                        + " after input character " + inputAt + " (label character " + labelAt + ")");
            }
            labelAt += segment.length();
            if (tagAt < 0) {
                if (labelAt != label.length()) {
                    throw new RejectedRecordException(id, "label_text_mismatch", "label has " + (label.length() - labelAt)
                            + " characters after the end of the input text");
                }
                if (!segment.isBlank()) {
                    throw new RejectedRecordException(id, "text_after_last_tag", "text after the last step tag has no"
                            + " label: \"" + segment.strip() + "\"");
                }
                break;
            }
            segments.add(segment);
            labels.add(markAt(label, labelAt, id, segments.size() - 1));
            labelAt += label.startsWith(options.positiveLabel(), labelAt)
                    ? options.positiveLabel().length() : options.negativeLabel().length();
            inputAt = tagAt + tag.length();
        }
        return toRecord(id, segments, labels);
    }

    private float markAt(String label, int at, String id, int step) {
        if (label.startsWith(options.positiveLabel(), at)) {
            return options.labelPolicy().orient(1f);
        }
        if (label.startsWith(options.negativeLabel(), at)) {
            return options.labelPolicy().orient(0f);
        }
        String found = label.substring(at, Math.min(label.length(), at + 3));
        throw new RejectedRecordException(id, "invalid_step_label", "expected '" + options.positiveLabel() + "' or '"
                + options.negativeLabel() + "' for step tag " + step + " at label character " + at + "; found \""
                + found + "\"");
    }

    /** Splits the question from the first step and drops tags that stand inside the question. */
    private TraceRecord toRecord(String id, List<String> segments, List<Float> labels) {
        for (int k = 0; k < segments.size(); k++) {
            Matcher marker = FIRST_STEP.matcher(segments.get(k));
            if (!marker.find()) {
                continue;
            }
            List<String> questionParts = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                questionParts.add(segments.get(j).strip());
            }
            questionParts.add(segments.get(k).substring(0, marker.start()).strip());
            questionParts.removeIf(String::isEmpty);
            List<String> steps = new ArrayList<>();
            steps.add(segments.get(k).substring(marker.start()).strip());
            for (int j = k + 1; j < segments.size(); j++) {
                steps.add(segments.get(j).strip());
            }
            float[] stepLabels = new float[steps.size()];
            for (int j = 0; j < stepLabels.length; j++) {
                stepLabels[j] = labels.get(k + j);
            }
            Set<String> flags = new HashSet<>();
            if (k > 0) {
                flags.add(RecordFlags.STRAY_TAG_IN_PROMPT);
            }
            String question = String.join(" ", questionParts);
            TraceRecord record = new TraceRecord(id, source, question, steps, stepLabels, null, null, null, flags);
            return options.labelPolicy().apply(record);
        }
        throw new RejectedRecordException(id, "no_step_marker",
                "found no 'Step 1:' marker, so the question cannot be told apart from the first step");
    }

    private TraceRecord fromProcess(String id, JsonNode value) {
        String problem = Fields.requiredText(value, id, "question", "problem");
        String process = Fields.requiredText(value, id, "process");
        JsonNode labelsJson = value.path("labels");
        String[] pieces = process.split(Pattern.quote(options.stepTag()), -1);
        if (!pieces[pieces.length - 1].isBlank()) {
            throw new RejectedRecordException(id, "text_after_last_tag", "text after the last step tag has no label: \""
                    + pieces[pieces.length - 1].strip() + "\"");
        }
        int stepCount = pieces.length - 1;
        if (!labelsJson.isArray() || labelsJson.size() != stepCount) {
            throw new RejectedRecordException(id, "label_count_mismatch", "process has " + stepCount
                    + " step tags but labels has " + (labelsJson.isArray() ? labelsJson.size() : 0) + " entries");
        }
        List<String> steps = new ArrayList<>();
        float[] labels = new float[stepCount];
        for (int i = 0; i < stepCount; i++) {
            steps.add(pieces[i].strip());
            labels[i] = options.labelPolicy().orient(Fields.label(labelsJson.get(i), id, i));
        }
        return options.labelPolicy().apply(new TraceRecord(id, source, problem, steps, labels, null, null, null, Set.of()));
    }
}
