package dev.stepwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TokenizeStage;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepDatasetSchema;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import dev.stepwise.dataset.arrow.StepRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code stepwise dataset tokenize}: re-tokenizes a step dataset for another tokenizer, prompt
 * format or token limit, keeping problems, steps, labels and rollout counts.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {
            "Re-tokenizes a step dataset with another tokenizer, prompt format or limit.",
            "Reads a file from 'stepwise dataset import' and tokenizes it again with another tokenizer, prompt "
                    + "format, separator or --max-tokens. Without --prompt-format, --prompt-template or --separator, "
                    + "the input file's prompt format and separator are kept. Steps cut at import stay cut, and "
                    + "newly cut steps are dropped with their labels. The exit code is 1 when no row is kept.",
            "Example:",
            "  stepwise dataset tokenize --input prm.arrow --tokenizer other-model/ --output prm-other.arrow"})
public final class DatasetTokenizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "Step dataset to read.")
    Path input;

    @Option(names = {"--out", "--output"}, required = true, description = "Step dataset to write.")
    Path output;

    @Option(names = "--allow-unlabelled",
            description = "Keep rows whose steps all have the ignore label.")
    boolean allowUnlabelled;

    @Option(names = "--json", description = "Print the statistics as one JSON object.")
    boolean json;

    @Mixin
    DatasetSegmenterOptions segmenterOptions = new DatasetSegmenterOptions();

    @Override
    public Integer call() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ImportStats stats = new ImportStats();
        try (StepDatasetReader reader = StepDatasetReader.open(input);
             DatasetSegmenterOptions.Loaded loaded = loadSegmenter(reader.metadata())) {
            Map<String, String> source = reader.metadata();
            boolean rollouts = reader.batch().getSchema().getFields().stream()
                    .anyMatch(field -> field.getName().equals(StepDatasetSchema.ROLLOUTS_CORRECT));
            StepSegmenter segmenter = loaded.segmenter();
            StepDatasetMetadata metadata = new StepDatasetMetadata(source.get(StepDatasetSchema.META_SOURCE),
                    loaded.tokenizer().sha256(), segmenter.separator(), segmenter.separatorId(), segmenter.format().name(),
                    policyOf(source), carriedMetadata(source, loaded, mapper));
            TokenizeStage stage = new TokenizeStage(segmenter, allowUnlabelled);
            try (StepDatasetWriter writer = StepDatasetWriter.create(output, metadata, rollouts)) {
                while (reader.loadNextBatch()) {
                    for (int i = 0; i < reader.batch().getRowCount(); i++) {
                        stats.recordRead();
                        retokenize(reader.row(i), stage, writer, stats);
                    }
                }
                if (stats.recordsKept() > 0) {
                    writer.putStats(mapper.writeValueAsString(stats.toJson(mapper)));
                    writer.commit();
                }
            }
        }
        if (json) {
            spec.commandLine().getOut().println(mapper.writeValueAsString(stats.toJson(mapper)));
        } else {
            spec.commandLine().getOut().printf("wrote %s: %d of %d rows kept, %d score positions; rejected %s%n", output,
                    stats.recordsKept(), stats.recordsRead(), stats.scorePositions(), stats.rejected());
        }
        spec.commandLine().getOut().flush();
        if (stats.recordsKept() == 0) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": "
                    + DatasetImportCommand.nothingKeptMessage(stats, output));
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }

    /** Loads the segmenter, with the input file's prompt format and separator when no layout option was given. */
    private DatasetSegmenterOptions.Loaded loadSegmenter(Map<String, String> metadata) throws IOException {
        if (segmenterOptions.layoutUnset()) {
            String format = metadata.get(StepDatasetSchema.META_PROMPT_FORMAT);
            if (format == null || format.equals("custom")) {
                throw new IllegalArgumentException(input + " was written with "
                        + (format == null ? "no stored prompt format" : "a custom --prompt-template")
                        + ", so its layout cannot be reused; pass --prompt-format or --prompt-template, "
                        + "and --separator");
            }
            segmenterOptions.promptFormat = format;
            segmenterOptions.separator = metadata.get(StepDatasetSchema.META_SEPARATOR);
        }
        return segmenterOptions.load();
    }

    private static void retokenize(StepRow row, TokenizeStage stage, StepDatasetWriter writer, ImportStats stats)
            throws IOException {
        TraceRecord record = new TraceRecord(row.id(), row.source(), row.problem(), row.steps(), row.stepLabels(),
                row.finalAnswer(), row.referenceAnswer(), row.outcomeLabel(), new HashSet<>(row.flags()));
        StepRow retokenized;
        try {
            retokenized = stage.toRow(record);
        } catch (RejectedRecordException e) {
            stats.recordRejected(e);
            return;
        }
        if (row.rolloutsCorrect() != null) {
            int kept = retokenized.scorePositions().length;
            retokenized = retokenized.withRollouts(Arrays.copyOf(row.rolloutsCorrect(), kept),
                    Arrays.copyOf(row.rolloutsTotal(), kept));
        }
        writer.write(retokenized);
        stats.recordKept(record.withSteps(retokenized.steps(), retokenized.stepLabels()),
                retokenized.scorePositions().length);
    }

    /** Rebuilds the label policy from its description so the new file states the same policy. */
    private static LabelPolicy policyOf(Map<String, String> metadata) {
        Map<String, String> parts = new LinkedHashMap<>();
        String description = metadata.getOrDefault(StepDatasetSchema.META_LABEL_POLICY, "");
        for (String part : description.split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        String neutral = parts.getOrDefault("neutral", "unset");
        return new LabelPolicy(neutral.equals("unset") ? null : LabelPolicy.NeutralRating.valueOf(neutral),
                LabelPolicy.AfterFirstError.valueOf(parts.getOrDefault("after_first_error", "SOURCE")),
                LabelPolicy.LabelType.valueOf(metadata.getOrDefault(StepDatasetSchema.META_LABEL_TYPE, "HARD")),
                LabelPolicy.Polarity.valueOf(parts.getOrDefault("polarity", "ONE_IS_CORRECT")));
    }

    private Map<String, String> carriedMetadata(Map<String, String> source, DatasetSegmenterOptions.Loaded loaded,
                                                ObjectMapper mapper) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        source.forEach((key, value) -> {
            if (!key.startsWith("stepwise.")) {
                extra.put(key, value);
            }
        });
        extra.put("stepwise.input_format", source.getOrDefault("stepwise.input_format", "unknown"));
        extra.put("stepwise.registered_tokens", mapper.writeValueAsString(loaded.tokenizer().registeredTokens()));
        extra.put("stepwise.max_tokens", Integer.toString(segmenterOptions.maxTokens));
        extra.put("stepwise.retokenized_from", input.getFileName().toString());
        return extra;
    }
}
