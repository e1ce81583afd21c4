package dev.stepwise.dataset.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.RecordFlags;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceReader;
import dev.stepwise.dataset.TraceRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Generic and PRMBench-style JSON objects: {@code problem} (or {@code question}, {@code prompt}),
 * {@code steps} (or {@code completions}), {@code labels} as booleans, 0/1, floats in [0, 1], -100 or
 * null (ignored). Optional: {@code id}, {@code source}, {@code final_answer},
 * {@code reference_answer} (or {@code answer}), {@code outcome_label} (or {@code final_answer_correct}),
 * {@code flags}. This is also the layout {@code stepwise dataset import} writes.
 *
 * <p>Empty or whitespace-only steps are dropped with their labels and counted. A wrong outcome whose
 * steps are all labelled correct is flagged {@code incorrect_without_error_step}.
 */
public final class GenericReader implements TraceReader {

    private final ReaderOptions options;

    public GenericReader(ReaderOptions options) {
        this.options = options;
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.GENERIC;
    }

    @Override
    public List<TraceRecord> map(JsonNode value, String fallbackId, ImportStats stats) {
        String id = Fields.optionalText(value, "id") != null ? Fields.optionalText(value, "id") : fallbackId;
        String problem = Fields.requiredText(value, id, "problem", "question", "prompt");
        List<String> rawSteps = Fields.requiredStrings(value, id, "steps", "completions");
        JsonNode labelsJson = value.has("labels") ? value.get("labels") : value.path("step_labels");
        if (!labelsJson.isArray()) {
            throw new RejectedRecordException(id, "missing_field", "expected a list field labels; found none");
        }
        if (labelsJson.size() != rawSteps.size()) {
            throw new RejectedRecordException(id, "label_count_mismatch", rawSteps.size() + " steps but "
                    + labelsJson.size() + " labels");
        }

        List<String> steps = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        int empty = 0;
        for (int i = 0; i < rawSteps.size(); i++) {
            float label = options.labelPolicy().orient(Fields.label(labelsJson.get(i), id, i));
            if (rawSteps.get(i).isBlank()) {
                empty++;
                continue;
            }
            steps.add(rawSteps.get(i));
            labels.add(label);
        }
        if (steps.isEmpty()) {
            throw new RejectedRecordException(id, "no_steps", "no non-empty step");
        }
        stats.emptyStepsDropped(empty);

        Set<String> flags = new HashSet<>();
        for (JsonNode flag : value.path("flags")) {
            flags.add(flag.asText());
        }
        if (empty > 0) {
            flags.add(RecordFlags.EMPTY_STEPS_REMOVED);
        }
        float[] labelArray = new float[labels.size()];
        for (int i = 0; i < labelArray.length; i++) {
            labelArray[i] = labels.get(i);
        }
        Float outcome = Fields.outcome(value, id, "outcome_label", "final_answer_correct");
        if (outcome != null && outcome < 0.5f && StepLabels.firstErrorIndex(labelArray) < 0) {
            flags.add(RecordFlags.INCORRECT_WITHOUT_ERROR_STEP);
        }

        String source = options.source() != null ? options.source()
                : Fields.optionalText(value, "source") != null ? Fields.optionalText(value, "source")
                : TraceFormat.GENERIC.cliName();
        TraceRecord record = new TraceRecord(id, source, problem, steps, labelArray,
                Fields.optionalText(value, "final_answer"),
                Fields.optionalText(value, "reference_answer", "answer"), outcome, flags);
        return List.of(options.labelPolicy().apply(record));
    }
}
