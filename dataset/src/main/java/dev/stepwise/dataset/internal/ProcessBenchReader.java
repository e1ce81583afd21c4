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

import java.util.List;
import java.util.Set;

/**
 * ProcessBench rows: {@code label} is the index of the first wrong step, or -1 when every step is
 * correct. Steps before it get 1, the step itself 0; ProcessBench states nothing about later steps,
 * so they get {@link StepLabels#IGNORE} unless the policy sets 0 or drops them.
 * {@code final_answer_correct} becomes the outcome label; a wrong outcome with label -1 is flagged
 * {@code incorrect_without_error_step}.
 */
public final class ProcessBenchReader implements TraceReader {

    private final ReaderOptions options;
    private final String source;

    public ProcessBenchReader(ReaderOptions options) {
        this.options = options;
        this.source = options.source() != null ? options.source() : TraceFormat.PROCESSBENCH.cliName();
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.PROCESSBENCH;
    }

    @Override
    public List<TraceRecord> map(JsonNode value, String fallbackId, ImportStats stats) {
        String id = Fields.optionalText(value, "id") != null ? Fields.optionalText(value, "id") : fallbackId;
        String problem = Fields.requiredText(value, id, "problem");
        List<String> steps = Fields.requiredStrings(value, id, "steps");
        if (steps.isEmpty()) {
            throw new RejectedRecordException(id, "no_steps", "steps is empty");
        }
        JsonNode labelJson = value.path("label");
        if (!labelJson.isInt()) {
            throw new RejectedRecordException(id, "missing_field", "expected an integer label (first wrong step or -1); found "
                    + Fields.describe(labelJson));
        }
        int firstError = labelJson.asInt();
        if (firstError < -1 || firstError >= steps.size()) {
            throw new RejectedRecordException(id, "label_out_of_range", "label " + firstError
                    + " must be -1 or a step index below " + steps.size());
        }

        float[] labels = new float[steps.size()];
        for (int i = 0; i < labels.length; i++) {
            if (firstError < 0 || i < firstError) {
                labels[i] = 1f;
            } else if (i == firstError) {
                labels[i] = 0f;
            } else {
                labels[i] = StepLabels.IGNORE;
            }
        }

        Float outcome = Fields.outcome(value, id, "final_answer_correct");
        Set<String> flags = firstError < 0 && outcome != null && outcome < 0.5f
                ? Set.of(RecordFlags.INCORRECT_WITHOUT_ERROR_STEP) : Set.of();
        TraceRecord record = new TraceRecord(id, source, problem, steps, labels, null, null, outcome, flags);
        return List.of(options.labelPolicy().apply(record));
    }
}
