package dev.stepwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.PreferencePairs;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TokenizeStage;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceReader;
import dev.stepwise.dataset.TraceReaders;
import dev.stepwise.dataset.TraceRecordJson;
import dev.stepwise.dataset.arrow.PairDatasetWriter;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetSchema;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code stepwise dataset import}: reads traces in a source format, applies the label policy,
 * tokenizes and writes a step dataset (or a pair dataset for {@code --format pairs}).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
            "Imports reasoning traces or preference pairs into an Arrow IPC dataset.",
            "Reads traces (prm800k, math-shepherd, processbench, generic, raw) or preference pairs (pairs), "
                    + "applies the label policy, tokenizes and writes one file. Rejected records are counted by "
                    + "reason, and the counts are printed and stored in the file. The exit code is 1 when no "
                    + "record is kept.",
            "Example:",
            "  stepwise dataset import --format prm800k --neutral ignore --input phase2.jsonl \\",
            "    --tokenizer qwen2.5/ --prompt-format qwen2.5-math-prm --register-separator \\",
            "    --output prm.arrow"})
public final class DatasetImportCommand implements Callable<Integer> {

    private static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", required = true,
            description = "Source format: prm800k, math-shepherd, processbench, generic, raw or pairs.")
    String format;

    @Option(names = "--input", required = true, arity = "1..*",
            description = "Source files: JSON Lines, a JSON array or concatenated JSON objects; .gz allowed.")
    List<Path> inputs;

    @Option(names = {"--out", "--output"}, required = true, description = "Arrow IPC file to write.")
    Path output;

    @Option(names = "--records",
            description = "Also write every imported record, before tokenization, as generic JSON Lines.")
    Path records;

    @Option(names = "--allow-unlabelled",
            description = "Keep rows whose steps all have the ignore label (raw traces for auto-labelling).")
    boolean allowUnlabelled;

    @Option(names = "--json", description = "Print the statistics as one JSON object.")
    boolean json;

    @Mixin
    DatasetSegmenterOptions segmenterOptions = new DatasetSegmenterOptions();

    @Mixin
    DatasetLabelOptions labelOptions = new DatasetLabelOptions();

    @Override
    public Integer call() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ImportStats stats = new ImportStats();
        try (DatasetSegmenterOptions.Loaded loaded = segmenterOptions.load()) {
            if (format.equals("pairs")) {
                importPairs(loaded.segmenter(), stats, mapper);
            } else {
                importTraces(loaded, stats, mapper);
            }
        }
        ObjectNode statsJson = stats.toJson(mapper);
        if (json) {
            spec.commandLine().getOut().println(mapper.writeValueAsString(statsJson));
        } else {
            spec.commandLine().getOut().printf("wrote %s: %d of %d records kept, %d steps, %d score positions; rejected %s%n",
                    output, stats.recordsKept(), stats.recordsRead(), stats.steps(), stats.scorePositions(),
                    stats.rejected());
        }
        spec.commandLine().getOut().flush();
        if (stats.recordsKept() == 0) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + nothingKeptMessage(stats, output));
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }

    /** Explains an import or tokenize run that kept no record; the output file is then not written. */
    static String nothingKeptMessage(ImportStats stats, Path output) {
        if (stats.recordsRead() == 0) {
            return "no record found in the input; " + output + " was not written";
        }
        String message = "no record kept of " + stats.recordsRead() + " read (rejected: " + stats.rejected() + "); "
                + output + " was not written";
        if (stats.rejected().keySet().equals(java.util.Set.of("missing_field"))) {
            message += ". Every record lacks a field that the format needs: check --format";
        }
        return message;
    }

    private void importTraces(DatasetSegmenterOptions.Loaded loaded, ImportStats stats, ObjectMapper mapper)
            throws IOException {
        TraceFormat traceFormat = TraceFormat.fromCliName(format);
        TraceReader reader = TraceReaders.create(traceFormat, labelOptions.readerOptions());
        StepSegmenter segmenter = loaded.segmenter();
        StepDatasetMetadata metadata = new StepDatasetMetadata(sourceName(), loaded.tokenizer().sha256(),
                segmenter.separator(), segmenter.separatorId(), segmenter.format().name(),
                labelOptions.policy(), extraMetadata(loaded, mapper));
        TokenizeStage stage = new TokenizeStage(segmenter, allowUnlabelled);
        Progress progress = new Progress();
        try (StepDatasetWriter writer = StepDatasetWriter.create(output, metadata, false);
             BufferedWriter recordsOut = records == null ? null : Files.newBufferedWriter(records, StandardCharsets.UTF_8)) {
            for (Path input : inputs) {
                TraceReaders.read(input, reader, record -> {
                    if (recordsOut != null) {
                        writeLine(recordsOut, mapper, record);
                    }
                    stage.write(record, writer, stats);
                    progress.report(stats);
                }, stats);
            }
            if (stats.recordsKept() > 0) {
                writer.putStats(mapper.writeValueAsString(stats.toJson(mapper)));
                writer.commit();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void importPairs(StepSegmenter segmenter, ImportStats stats, ObjectMapper mapper) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(StepDatasetSchema.META_SOURCE, sourceName());
        metadata.put(StepDatasetSchema.META_TOKENIZER_SHA256, segmenter.tokenizer().sha256());
        metadata.put(StepDatasetSchema.META_PROMPT_FORMAT, segmenter.format().name());
        Progress progress = new Progress();
        try (PairDatasetWriter writer = PairDatasetWriter.create(output, metadata)) {
            for (Path input : inputs) {
                PreferencePairs.read(input, sourceName(), pair -> {
                    try {
                        writer.write(PreferencePairs.toRow(pair, segmenter));
                        stats.recordKept();
                    } catch (RejectedRecordException e) {
                        stats.recordRejected(e);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    progress.report(stats);
                }, stats);
            }
            if (stats.recordsKept() > 0) {
                writer.putStats(mapper.writeValueAsString(stats.toJson(mapper)));
                writer.commit();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Map<String, String> extraMetadata(DatasetSegmenterOptions.Loaded loaded, ObjectMapper mapper)
            throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("stepwise.input_format", format);
        extra.put("stepwise.registered_tokens", mapper.writeValueAsString(loaded.tokenizer().registeredTokens()));
        extra.put("stepwise.max_tokens", Integer.toString(segmenterOptions.maxTokens));
        return extra;
    }

    private String sourceName() {
        if (labelOptions.source != null) {
            return labelOptions.source;
        }
        return format + ":" + String.join(",", inputs.stream().map(p -> p.getFileName().toString()).toList());
    }

    private static void writeLine(BufferedWriter out, ObjectMapper mapper, dev.stepwise.dataset.TraceRecord record) {
        try {
            out.write(mapper.writeValueAsString(TraceRecordJson.toJson(record, mapper)));
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints a progress line to stderr at most every two seconds. */
    private final class Progress {
        private long lastReport = System.nanoTime();

        void report(ImportStats stats) {
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                lastReport = now;
                spec.commandLine().getErr().printf("read %d records, kept %d, rejected %d%n", stats.recordsRead(),
                        stats.recordsKept(), stats.rejectedTotal());
                spec.commandLine().getErr().flush();
            }
        }
    }
}
