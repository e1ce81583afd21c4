package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.SplitAssigner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Writes the train, validation and test splits of a step dataset. */
public final class StepDatasetSplits {

    /** Metadata key that names the split of a derived file. */
    public static final String META_SPLIT = "stepwise.split";

    private StepDatasetSplits() {
    }

    /**
     * Reads {@code input} and writes {@code train.arrow}, {@code validation.arrow} and
     * {@code test.arrow} into {@code outputDir}, assigning each row by its problem text. Each file
     * keeps the input's schema and metadata, plus {@link #META_SPLIT}. All three files are committed
     * only after every row has been written.
     *
     * @return rows written per split
     */
    public static Map<SplitAssigner.Split, Long> write(Path input, Path outputDir, SplitAssigner assigner)
            throws IOException {
        Map<SplitAssigner.Split, StepDatasetWriter> writers = new EnumMap<>(SplitAssigner.Split.class);
        Map<SplitAssigner.Split, Long> counts = new EnumMap<>(SplitAssigner.Split.class);
        try (StepDatasetReader reader = StepDatasetReader.open(input)) {
            try {
                for (SplitAssigner.Split split : SplitAssigner.Split.values()) {
                    writers.put(split, StepDatasetWriter.createLike(outputDir.resolve(split.fileName() + ".arrow"),
                            reader, Map.of(META_SPLIT, split.fileName())));
                    counts.put(split, 0L);
                }
                while (reader.loadNextBatch()) {
                    for (int i = 0; i < reader.batch().getRowCount(); i++) {
                        StepRow row = reader.row(i);
                        SplitAssigner.Split split = assigner.assign(row.problem());
                        writers.get(split).write(row);
                        counts.merge(split, 1L, Long::sum);
                    }
                }
                for (StepDatasetWriter writer : writers.values()) {
                    writer.commit();
                }
            } finally {
                for (StepDatasetWriter writer : writers.values()) {
                    writer.close();
                }
            }
        }
        return counts;
    }
}
