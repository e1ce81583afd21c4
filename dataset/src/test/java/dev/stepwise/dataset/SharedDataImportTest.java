package dev.stepwise.dataset;

import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.arrow.StepRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Imports the real ProcessBench, PRM800K and Math-Shepherd samples with the Qwen2.5 tokenizer: every
 * record is kept or rejected with a reason, and every kept row has one score position per step.
 */
class SharedDataImportTest {

    static Path data;
    static TextTokenizer base;
    static TextTokenizer withExtra;
    static TextTokenizer withTag;

    @BeforeAll
    static void load() throws IOException {
        data = TestTokenizers.sharedData();
        base = TestTokenizers.qwen();
        withExtra = base.withSpecialTokens(List.of("<extra_0>"));
        withTag = base.withSpecialTokens(List.of("ки"));
    }

    @AfterAll
    static void close() {
        for (TextTokenizer tokenizer : new TextTokenizer[] {withTag, withExtra, base}) {
            if (tokenizer != null) {
                tokenizer.close();
            }
        }
    }

    private record Result(ImportStats stats, List<TraceRecord> records, List<StepRow> rows) {
    }

    private static Result importFiles(TraceFormat format, ReaderOptions options, StepSegmenter segmenter,
                                      Path... files) throws IOException {
        ImportStats stats = new ImportStats();
        TraceReader reader = TraceReaders.create(format, options);
        TokenizeStage stage = new TokenizeStage(segmenter, false);
        List<TraceRecord> records = new ArrayList<>();
        List<StepRow> rows = new ArrayList<>();
        for (Path file : files) {
            TraceReaders.read(file, reader, record -> {
                try {
                    StepRow row = stage.toRow(record);
                    rows.add(row);
                    records.add(record);
                    stats.recordKept(record, row.scorePositions().length);
                } catch (RejectedRecordException e) {
                    stats.recordRejected(e);
                }
            }, stats);
        }
        assertEquals(stats.recordsRead(), stats.recordsKept() + stats.rejectedTotal(),
                "every record read is kept or rejected with a reason: " + stats.rejected());
        return new Result(stats, records, rows);
    }

    @Test
    void processBenchKeepsOnePositionPerStep() throws IOException {
        StepSegmenter segmenter = new StepSegmenter(withExtra, PromptFormat.qwenMathPrm(), 4096);
        Result result = importFiles(TraceFormat.PROCESSBENCH, ReaderOptions.defaults(LabelPolicy.sourceConvention()),
                segmenter, data.resolve("processbench/gsm8k.json"), data.resolve("processbench/math.json"));

        assertEquals(1400, result.stats().recordsRead());
        assertEquals(1400, result.stats().recordsKept());
        assertEquals(Map.of(), result.stats().rejected());
        for (int i = 0; i < result.rows().size(); i++) {
            StepRow row = result.rows().get(i);
            assertEquals(result.records().get(i).steps().size(), row.scorePositions().length, row.id());
            for (int position : row.scorePositions()) {
                assertEquals(segmenter.separatorId(), row.inputIds()[position], row.id());
            }
        }
    }

    @Test
    void prm800kSamplesImportOrRejectWithReason() throws IOException {
        StepSegmenter segmenter = new StepSegmenter(withExtra, PromptFormat.qwenMathPrm(), 4096);
        LabelPolicy policy = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.IGNORE);
        Result result = importFiles(TraceFormat.PRM800K, ReaderOptions.defaults(policy).withPrm800kAlternatives(false),
                segmenter, data.resolve("prm800k/openr_samples_prm800k.jsonl"),
                data.resolve("prm800k/tongyx361_prm800k-phase1-train-example.json"),
                data.resolve("prm800k/tongyx361_prm800k-phase2-test-example.json"));

        assertEquals(10, result.stats().recordsRead());
        assertEquals(7, result.stats().recordsKept());
        assertEquals(Map.of("finish_reason_give_up", 2L, "initial_screening", 1L), result.stats().rejected());
        for (StepRow row : result.rows()) {
            assertEquals(row.steps().size(), row.scorePositions().length, row.id());
        }
    }

    @Test
    void mathShepherdSamplesImport() throws IOException {
        StepSegmenter segmenter = new StepSegmenter(withTag, PromptFormat.mathShepherd(), 4096);
        Result result = importFiles(TraceFormat.MATH_SHEPHERD, ReaderOptions.defaults(LabelPolicy.sourceConvention()),
                segmenter, data.resolve("math-shepherd/samples_math-shepherd.jsonl"),
                data.resolve("math-shepherd/prm800k-as-math-shepherd.json"));

        assertEquals(317, result.stats().recordsRead());
        assertEquals(317, result.stats().recordsKept());
        for (StepRow row : result.rows()) {
            assertEquals(row.steps().size(), row.scorePositions().length, row.id());
        }
    }

    @Test
    void preferencePairsSplitAtSharedPrefix() throws IOException {
        ImportStats stats = new ImportStats();
        List<PreferencePair> pairs = new ArrayList<>();
        PreferencePairs.read(data.resolve("preference-pairs/harmless-base-test.jsonl.gz"), "hh", pairs::add, stats);

        assertEquals(2312, stats.recordsRead());
        assertEquals(stats.recordsRead(), pairs.size() + stats.rejectedTotal());
        for (PreferencePair pair : pairs) {
            assertEquals(true, pair.prompt().endsWith(PreferencePairs.ASSISTANT_MARKER), pair.id());
        }
    }
}
