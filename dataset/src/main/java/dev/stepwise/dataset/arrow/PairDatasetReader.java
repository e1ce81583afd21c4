package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.arrow.internal.ArrowFileSource;
import dev.stepwise.dataset.arrow.internal.Columns;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.stepwise.dataset.arrow.StepDatasetSchema.*;

/** Reads a preference-pair dataset written by {@link PairDatasetWriter}, memory-mapped, batch by batch. Not thread-safe. */
public final class PairDatasetReader implements AutoCloseable {

    private final ArrowFileSource source;

    private PairDatasetReader(ArrowFileSource source) {
        this.source = source;
    }

    public static PairDatasetReader open(Path file) throws IOException {
        return new PairDatasetReader(new ArrowFileSource(file, KIND_PAIRS, META_KIND, META_SCHEMA_VERSION, SCHEMA_VERSION));
    }

    public Map<String, String> metadata() {
        return source.metadata();
    }

    public boolean loadNextBatch() throws IOException {
        return source.loadNextBatch();
    }

    public VectorSchemaRoot batch() throws IOException {
        return source.root();
    }

    public PairRow row(int index) throws IOException {
        VectorSchemaRoot root = source.root();
        return new PairRow(
                Columns.getString(root.getVector(ID), index),
                Columns.getString(root.getVector(SOURCE), index),
                Columns.getString(root.getVector(PROMPT), index),
                Columns.getString(root.getVector(CHOSEN), index),
                Columns.getString(root.getVector(REJECTED), index),
                Columns.getLongs(root.getVector(CHOSEN_INPUT_IDS), index),
                Columns.getLongs(root.getVector(REJECTED_INPUT_IDS), index));
    }

    public List<PairRow> readAll() throws IOException {
        List<PairRow> rows = new ArrayList<>();
        while (loadNextBatch()) {
            for (int i = 0; i < batch().getRowCount(); i++) {
                rows.add(row(i));
            }
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
