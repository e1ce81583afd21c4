package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.arrow.internal.ArrowFileSource;
import dev.stepwise.dataset.arrow.internal.Columns;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.stepwise.dataset.arrow.StepDatasetSchema.*;

/**
 * Reads a step dataset written by {@link StepDatasetWriter}, one record batch at a time, from a
 * memory mapping of the file.
 *
 * <p>Use {@link #loadNextBatch()} with {@link #batch()} for column access to the current batch
 * (valid until the next load), or {@link #readAll()} for rows as Java objects. Not thread-safe.
 * Closing releases all Arrow memory.
 */
public final class StepDatasetReader implements AutoCloseable {

    private final ArrowFileSource source;

    private StepDatasetReader(ArrowFileSource source) {
        this.source = source;
    }

    /**
     * Opens {@code file}.
     *
     * @throws IOException when the file is missing, not an Arrow IPC file, or not a stepwise step
     *                     dataset of {@link StepDatasetSchema#SCHEMA_VERSION}
     */
    public static StepDatasetReader open(Path file) throws IOException {
        return new StepDatasetReader(new ArrowFileSource(file, KIND_STEPS, META_KIND, META_SCHEMA_VERSION, SCHEMA_VERSION));
    }

    /** Schema metadata merged with footer metadata (for example {@link StepDatasetSchema#META_STATS}). */
    public Map<String, String> metadata() {
        return source.metadata();
    }

    /** Loads the next record batch into {@link #batch()}; returns false at the end of the file. */
    public boolean loadNextBatch() throws IOException {
        return source.loadNextBatch();
    }

    /** Returns the current record batch, whose vectors this reader owns. */
    public VectorSchemaRoot batch() throws IOException {
        return source.root();
    }

    /** Converts row {@code index} of the current batch. */
    public StepRow row(int index) throws IOException {
        VectorSchemaRoot root = source.root();
        Float4Vector outcome = (Float4Vector) root.getVector(OUTCOME_LABEL);
        FieldVector correct = root.getVector(ROLLOUTS_CORRECT);
        FieldVector total = root.getVector(ROLLOUTS_TOTAL);
        return new StepRow(
                Columns.getString(root.getVector(ID), index),
                Columns.getString(root.getVector(SOURCE), index),
                Columns.getString(root.getVector(PROBLEM), index),
                Columns.getStrings(root.getVector(STEPS), index),
                Columns.getLongs(root.getVector(INPUT_IDS), index),
                Columns.getInts(root.getVector(SCORE_POSITIONS), index),
                Columns.getLabels(root.getVector(STEP_LABELS), index),
                outcome.isNull(index) ? null : outcome.get(index),
                Columns.getString(root.getVector(FINAL_ANSWER), index),
                Columns.getString(root.getVector(REFERENCE_ANSWER), index),
                Columns.getStrings(root.getVector(FLAGS), index),
                correct == null ? null : Columns.getInts(correct, index),
                total == null ? null : Columns.getInts(total, index));
    }

    /** Reads every remaining row. */
    public List<StepRow> readAll() throws IOException {
        List<StepRow> rows = new ArrayList<>();
        while (loadNextBatch()) {
            int count = batch().getRowCount();
            for (int i = 0; i < count; i++) {
                rows.add(row(i));
            }
        }
        return rows;
    }

    public Path file() {
        return source.file();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
