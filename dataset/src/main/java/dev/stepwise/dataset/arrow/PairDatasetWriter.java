package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.arrow.internal.AtomicArrowFile;
import dev.stepwise.dataset.arrow.internal.Columns;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.stepwise.dataset.arrow.StepDatasetSchema.*;

/**
 * Writes preference pairs to an Arrow IPC file with the schema of {@link StepDatasetSchema#pairs}.
 * Commit and close behave as in {@link StepDatasetWriter}. Not thread-safe.
 */
public final class PairDatasetWriter implements AutoCloseable {

    private final AtomicArrowFile<PairRow> file;

    private PairDatasetWriter(Path target, Map<String, String> metadata) throws IOException {
        Map<String, String> schemaMetadata = new LinkedHashMap<>(metadata);
        schemaMetadata.put(META_SCHEMA_VERSION, Integer.toString(SCHEMA_VERSION));
        schemaMetadata.put(META_KIND, KIND_PAIRS);
        this.file = new AtomicArrowFile<>(target, StepDatasetSchema.pairs(schemaMetadata),
                StepDatasetWriter.DEFAULT_BATCH_ROWS, PairDatasetWriter::fill);
    }

    /**
     * @param metadata schema metadata, for example {@link StepDatasetSchema#META_SOURCE},
     *                 {@link StepDatasetSchema#META_TOKENIZER_SHA256} and
     *                 {@link StepDatasetSchema#META_PROMPT_FORMAT}; the kind and version are added
     */
    public static PairDatasetWriter create(Path target, Map<String, String> metadata) throws IOException {
        return new PairDatasetWriter(target, metadata);
    }

    public void write(PairRow row) throws IOException {
        file.add(row);
    }

    private static void fill(VectorSchemaRoot root, Map.Entry<Integer, PairRow> entry) {
        int index = entry.getKey();
        PairRow row = entry.getValue();
        Columns.setString(root.getVector(ID), index, row.id());
        Columns.setString(root.getVector(SOURCE), index, row.source());
        Columns.setString(root.getVector(PROMPT), index, row.prompt());
        Columns.setString(root.getVector(CHOSEN), index, row.chosen());
        Columns.setString(root.getVector(REJECTED), index, row.rejected());
        Columns.setLongs(root.getVector(CHOSEN_INPUT_IDS), index, row.chosenInputIds());
        Columns.setLongs(root.getVector(REJECTED_INPUT_IDS), index, row.rejectedInputIds());
    }

    /** Stores import statistics (JSON) in the footer; call before {@link #commit()}. */
    public void putStats(String statsJson) {
        file.putFooterMetadata(META_STATS, statsJson);
    }

    public void commit() throws IOException {
        file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
