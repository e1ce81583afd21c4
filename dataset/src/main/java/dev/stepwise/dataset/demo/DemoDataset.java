package dev.stepwise.dataset.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TokenizeStage;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes demo traces as an Arrow step dataset with the {@link DemoTokenizer}: the {@code plain}
 * prompt format (problem, a line break, one step per line), each step followed by a space and
 * {@link DemoTokenizer#STEP_SEPARATOR}, hard labels kept as {@link DemoTraces} made them.
 */
public final class DemoDataset {
    /** The prompt format of demo datasets and demo models. */
    public static final PromptFormat FORMAT = PromptFormat.plain();
    /**
     * Token limit of a demo row. Demo traces take at most about 230 tokens with the demo tokenizer
     * (measured on 1,600 generated traces), so no row is cut.
     */
    public static final int MAX_TOKENS = 512;

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoDataset() {}

    /** Builds the segmenter of demo datasets and demo models over {@code tokenizer}, which the caller keeps. */
    public static StepSegmenter segmenter(TextTokenizer tokenizer) {
        return new StepSegmenter(tokenizer, FORMAT, DemoTokenizer.STEP_SEPARATOR, MAX_TOKENS);
    }

    /**
     * Tokenizes {@code records} and writes them to {@code target}, replacing it atomically.
     *
     * @return the counts of the run; rejected records (none for demo traces) are counted there
     */
    public static ImportStats write(List<TraceRecord> records, TextTokenizer tokenizer, Path target) throws IOException {
        TokenizeStage stage = new TokenizeStage(segmenter(tokenizer), false);
        StepDatasetMetadata metadata = new StepDatasetMetadata(DemoTraces.SOURCE, tokenizer.sha256(),
                DemoTokenizer.STEP_SEPARATOR, stage.segmenter().separatorId(), FORMAT.name(),
                LabelPolicy.sourceConvention(), Map.of());
        ImportStats stats = new ImportStats();
        try (StepDatasetWriter writer = StepDatasetWriter.create(target, metadata, false)) {
            for (TraceRecord record : records) {
                stats.recordRead();
                stage.write(record, writer, stats);
            }
            writer.putStats(stats.toJson(JSON).toString());
            writer.commit();
        }
        return stats;
    }
}
