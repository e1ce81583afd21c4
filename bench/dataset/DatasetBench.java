import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TokenizeStage;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceReader;
import dev.stepwise.dataset.TraceReaders;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures the dataset pipeline on ProcessBench (gsm8k.json and math.json) with the Qwen2.5
 * tokenizer and the Qwen2.5-Math-PRM layout, single-threaded:
 *
 * <ul>
 *   <li>bare tokenizer: {@code TextTokenizer.encode} of each trace's full text (problem text plus
 *       every step piece, concatenated), in steps/s and tokens/s;</li>
 *   <li>pipeline: read JSON, label, segment and write an Arrow file, in steps/s.</li>
 * </ul>
 *
 * The overhead ratio is bare steps/s divided by pipeline steps/s. Each figure is the best of PASSES
 * timed passes after one warm-up pass. Usage: DatasetBench DATA_DIR [PASSES].
 */
public final class DatasetBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DatasetBench DATA_DIR [PASSES]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Path> files = List.of(data.resolve("processbench/gsm8k.json"), data.resolve("processbench/math.json"));
        Path output = Files.createTempFile("dataset-bench-", ".arrow");
        PromptFormat format = PromptFormat.qwenMathPrm();

        try (TextTokenizer base = TextTokenizer.load(data.resolve("tokenizers/qwen2.5"));
             TextTokenizer tokenizer = base.withSpecialTokens(List.of("<extra_0>"))) {
            StepSegmenter segmenter = new StepSegmenter(tokenizer, format, 4096);
            ReaderOptions options = ReaderOptions.defaults(LabelPolicy.sourceConvention());
            TraceReader reader = TraceReaders.create(TraceFormat.PROCESSBENCH, options);

            List<TraceRecord> records = new ArrayList<>();
            for (Path file : files) {
                TraceReaders.read(file, reader, records::add, new ImportStats());
            }
            List<String> texts = new ArrayList<>();
            long steps = 0;
            for (TraceRecord record : records) {
                StringBuilder text = new StringBuilder(format.problemText(record.problem()));
                for (int k = 0; k < record.steps().size(); k++) {
                    text.append(format.stepPiece(k, record.steps().get(k), "<extra_0>"));
                }
                texts.add(text.toString());
                steps += record.steps().size();
            }

            double bestBare = 0;
            long tokens = 0;
            for (int pass = 0; pass <= passes; pass++) {
                long start = System.nanoTime();
                tokens = 0;
                for (String text : texts) {
                    tokens += tokenizer.encode(text).size();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (pass > 0) {
                    bestBare = Math.max(bestBare, steps / seconds);
                }
            }

            double bestPipeline = 0;
            ImportStats stats = null;
            for (int pass = 0; pass <= passes; pass++) {
                long start = System.nanoTime();
                stats = new ImportStats();
                StepDatasetMetadata metadata = new StepDatasetMetadata("processbench", tokenizer.sha256(), "<extra_0>",
                        segmenter.separatorId(), format.name(), options.labelPolicy(), Map.of());
                try (StepDatasetWriter writer = StepDatasetWriter.create(output, metadata, false)) {
                    new TokenizeStage(segmenter, false).run(files, reader, writer, stats, read -> { });
                    writer.commit();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (pass > 0) {
                    bestPipeline = Math.max(bestPipeline, stats.scorePositions() / seconds);
                }
            }

            System.out.printf("records %d, steps %d, tokens %d, kept %d, Arrow file %d bytes%n", records.size(), steps,
                    tokens, stats.recordsKept(), Files.size(output));
            System.out.printf("bare tokenizer: best of %d passes %.0f steps/s (%.0f tokens/s)%n", passes, bestBare,
                    bestBare * tokens / steps);
            System.out.printf("import + tokenize + write: best of %d passes %.0f steps/s%n", passes, bestPipeline);
            System.out.printf("overhead ratio (bare / pipeline): %.2f%n", bestBare / bestPipeline);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
