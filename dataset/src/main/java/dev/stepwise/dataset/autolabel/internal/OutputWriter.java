package dev.stepwise.dataset.autolabel.internal;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepDatasetSchema;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.autolabel.AutolabelConfig;
import dev.stepwise.dataset.autolabel.AutolabelSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes the labeled step dataset and builds the summary. */
public final class OutputWriter {

    /** Flag of a written record with steps left unlabeled because generation failed. */
    public static final String FLAG_GENERATION_FAILED = "autolabel_generation_failed";

    private OutputWriter() {
    }

    /**
     * Copies every input row that got at least one label to the output, with the new labels and the
     * rollout count columns, in input order. Skipped records are left out. Nothing in the file
     * depends on timing, so equal labels give byte-identical files.
     */
    public static AutolabelSummary write(AutolabelConfig config, InputDataset input, List<RecordLabels> labels,
            RolloutStore store, String model, Duration elapsed) throws IOException {
        Map<String, Integer> skipped = new TreeMap<>();
        Map<String, Long> labelsByValue = new TreeMap<>();
        long stepsFailed = 0;
        int written = 0;
        StepDatasetMetadata metadata = metadata(config, input.metadata(), model);
        try (StepDatasetReader reader = StepDatasetReader.open(input.file());
                StepDatasetWriter writer = StepDatasetWriter.create(config.output(), metadata, true)) {
            int row = 0;
            while (reader.loadNextBatch()) {
                int count = reader.batch().getRowCount();
                for (int i = 0; i < count; i++, row++) {
                    RecordLabels result = labels.get(row);
                    if (result.isSkipped()) {
                        skipped.merge(result.skipReason(), 1, Integer::sum);
                        continue;
                    }
                    writer.write(labeledRow(reader.row(i), result));
                    written++;
                    stepsFailed += result.failedSteps();
                    for (float label : result.labels()) {
                        labelsByValue.merge(labelName(label), 1L, Long::sum);
                    }
                }
            }
            writer.commit();
        }
        Map<String, Long> verdicts = new TreeMap<>();
        store.verdictCounts().forEach((letter, count) -> verdicts.put(Verdicts.name(letter), count));
        return new AutolabelSummary(config.output(), input.traces().size(), written, skipped, stepsFailed,
                labelsByValue, verdicts, store.rolloutsThisRun(), store.rolloutsFromLog(), store.failuresByReason(),
                store.promptTokens(), store.completionTokens(), elapsed);
    }

    private static StepRow labeledRow(StepRow row, RecordLabels result) {
        List<String> flags = new ArrayList<>(row.flags());
        if (result.failedSteps() > 0 && !flags.contains(FLAG_GENERATION_FAILED)) {
            flags.add(FLAG_GENERATION_FAILED);
        }
        return new StepRow(row.id(), row.source(), row.problem(), row.steps(), row.inputIds(), row.scorePositions(),
                result.labels(), row.outcomeLabel(), row.finalAnswer(), row.referenceAnswer(), flags,
                result.correct(), result.total());
    }

    static String labelName(float label) {
        if (StepLabels.isIgnored(label)) {
            return "ignore";
        }
        if (label == Math.rint(label)) {
            return Integer.toString((int) label);
        }
        return Float.toString(label);
    }

    private static StepDatasetMetadata metadata(AutolabelConfig config, Map<String, String> inputMetadata, String model) {
        LabelPolicy policy = LabelPolicy.sourceConvention().withLabelType(config.labels());
        if (config.strategy() == AutolabelConfig.Strategy.FIRST_ERROR) {
            policy = policy.withAfterFirstError(LabelPolicy.AfterFirstError.NEGATIVE);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("autolabel.strategy", config.strategy().name());
        extra.put("autolabel.labels", config.labels().name());
        extra.put("autolabel.rollouts", Integer.toString(config.rollouts()));
        extra.put("autolabel.model", model);
        extra.put("autolabel.temperature", Double.toString(config.temperature()));
        extra.put("autolabel.top_p", Double.toString(config.topP()));
        extra.put("autolabel.max_tokens", Integer.toString(config.maxTokens()));
        extra.put("autolabel.seed", Long.toString(config.seed()));
        String separatorId = inputMetadata.getOrDefault(StepDatasetSchema.META_SEPARATOR_ID, "-1");
        return new StepDatasetMetadata(
                inputMetadata.getOrDefault(StepDatasetSchema.META_SOURCE, config.input().getFileName().toString()),
                inputMetadata.getOrDefault(StepDatasetSchema.META_TOKENIZER_SHA256, ""),
                inputMetadata.getOrDefault(StepDatasetSchema.META_SEPARATOR, ""),
                Long.parseLong(separatorId),
                inputMetadata.getOrDefault(StepDatasetSchema.META_PROMPT_FORMAT, ""),
                policy, extra);
    }
}
