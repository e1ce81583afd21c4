package dev.stepwise.dataset.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.RecordFlags;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.StepSplitter;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceReader;
import dev.stepwise.dataset.TraceRecord;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Unsplit solutions: {@code problem} (or {@code question}, {@code prompt}) and one text in
 * {@code response} (or {@code solution}, {@code completion}, {@code output}), split by the options'
 * {@link StepSplitter}. Every step label is {@link StepLabels#IGNORE}, ready for auto-labelling;
 * {@code outcome_label} (or {@code is_correct}) becomes the outcome label.
 */
public final class RawTraceReader implements TraceReader {

    private final ReaderOptions options;
    private final String source;

    public RawTraceReader(ReaderOptions options) {
        this.options = options;
        this.source = options.source() != null ? options.source() : TraceFormat.RAW.cliName();
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.RAW;
    }

    @Override
    public List<TraceRecord> map(JsonNode value, String fallbackId, ImportStats stats) {
        String id = Fields.optionalText(value, "id") != null ? Fields.optionalText(value, "id") : fallbackId;
        String problem = Fields.requiredText(value, id, "problem", "question", "prompt");
        String text = Fields.requiredText(value, id, "response", "solution", "completion", "output");
        StepSplitter.Split split = options.splitter().split(text);
        if (split.steps().isEmpty()) {
            throw new RejectedRecordException(id, "no_steps", "the solution text has no non-empty step");
        }
        stats.emptyStepsDropped(split.emptyStepsDropped());
        float[] labels = new float[split.steps().size()];
        Arrays.fill(labels, StepLabels.IGNORE);
        Set<String> flags = split.emptyStepsDropped() > 0 ? Set.of(RecordFlags.EMPTY_STEPS_REMOVED) : Set.of();
        return List.of(new TraceRecord(id, source, problem, split.steps(), labels, Fields.optionalText(value, "final_answer"),
                Fields.optionalText(value, "reference_answer", "answer"),
                Fields.outcome(value, id, "outcome_label", "is_correct"), flags));
    }
}
