package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.arrow.internal.AtomicArrowFile;
import dev.stepwise.dataset.arrow.internal.Columns;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static dev.stepwise.dataset.arrow.StepDatasetSchema.*;

/**
 * Writes step rows to an Arrow IPC file with the schema of {@link StepDatasetSchema#steps}.
 *
 * <p>Rows go to a temporary file beside the target; {@link #commit()} writes the footer and renames
 * it to the target. {@link #close()} without a commit deletes the temporary file, so an exception
 * inside a try-with-resources block leaves nothing under the target name. Not thread-safe.
 *
 * <pre>{@code
 * try (StepDatasetWriter writer = StepDatasetWriter.create(path, metadata, false)) {
 *     for (StepRow row : rows) writer.write(row);
 *     writer.commit();
 * }
 * }</pre>
 */
public final class StepDatasetWriter implements AutoCloseable {

    /** Rows per Arrow record batch. */
    public static final int DEFAULT_BATCH_ROWS = 1024;

    private final AtomicArrowFile<StepRow> file;
    private final LabelPolicy.LabelType labelType;
    private final boolean withRollouts;
    private final Path target;

    private StepDatasetWriter(Path target, Map<String, String> schemaMetadata, LabelPolicy.LabelType labelType,
                              boolean withRollouts, int batchRows) throws IOException {
        this.target = target;
        this.labelType = labelType;
        this.withRollouts = withRollouts;
        this.file = new AtomicArrowFile<>(target,
                StepDatasetSchema.steps(labelType, withRollouts, schemaMetadata), batchRows, this::fill);
    }

    /**
     * Opens a writer for {@code target}.
     *
     * @param withRollouts adds the {@code rollouts_correct} and {@code rollouts_total} int32 list
     *                     columns; every row must then carry both
     */
    public static StepDatasetWriter create(Path target, StepDatasetMetadata metadata, boolean withRollouts)
            throws IOException {
        return create(target, metadata, withRollouts, DEFAULT_BATCH_ROWS);
    }

    public static StepDatasetWriter create(Path target, StepDatasetMetadata metadata, boolean withRollouts,
                                           int batchRows) throws IOException {
        return new StepDatasetWriter(target, metadata.toMap(), metadata.labelPolicy().labelType(), withRollouts,
                batchRows);
    }

    /**
     * Opens a writer whose schema metadata, label type and rollout columns are those of an open
     * dataset, for derived files such as splits. {@code extraMetadata} is added to the metadata.
     */
    public static StepDatasetWriter createLike(Path target, StepDatasetReader source, Map<String, String> extraMetadata)
            throws IOException {
        Map<String, String> metadata = new java.util.LinkedHashMap<>(source.batch().getSchema().getCustomMetadata());
        metadata.putAll(extraMetadata);
        String typeName = metadata.get(StepDatasetSchema.META_LABEL_TYPE);
        if (typeName == null) {
            throw new IOException("Expected metadata key " + StepDatasetSchema.META_LABEL_TYPE + " in " + source.file()
                    + "; found none");
        }
        LabelPolicy.LabelType type = LabelPolicy.LabelType.valueOf(typeName);
        boolean rollouts = source.batch().getSchema().getFields().stream()
                .anyMatch(field -> field.getName().equals(StepDatasetSchema.ROLLOUTS_CORRECT));
        return new StepDatasetWriter(target, metadata, type, rollouts, DEFAULT_BATCH_ROWS);
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException when a hard-label dataset gets a soft label, or rollout
     *                                  columns are missing or unexpected, naming the row and step
     */
    public void write(StepRow row) throws IOException {
        checkLabels(row);
        boolean hasRollouts = row.rolloutsCorrect() != null && row.rolloutsTotal() != null;
        if (withRollouts != hasRollouts) {
            throw new IllegalArgumentException("Row " + row.id() + (withRollouts
                    ? " lacks rollout counts, which this dataset's rollout columns require"
                    : " has rollout counts, but the writer was created without rollout columns"));
        }
        file.add(row);
    }

    private void checkLabels(StepRow row) {
        if (labelType != LabelPolicy.LabelType.HARD) {
            return;
        }
        float[] labels = row.stepLabels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0f && labels[i] != 1f && !StepLabels.isIgnored(labels[i])) {
                throw new IllegalArgumentException("Row " + row.id() + " step " + i + " has label " + labels[i]
                        + ", but this dataset stores hard labels (0, 1 or " + StepLabels.IGNORE
                        + "); use the SOFT label type for values between 0 and 1");
            }
        }
    }

    private void fill(VectorSchemaRoot root, Map.Entry<Integer, StepRow> entry) {
        int index = entry.getKey();
        StepRow row = entry.getValue();
        Columns.setString(root.getVector(ID), index, row.id());
        Columns.setString(root.getVector(SOURCE), index, row.source());
        Columns.setString(root.getVector(PROBLEM), index, row.problem());
        Columns.setStrings(root.getVector(STEPS), index, row.steps());
        Columns.setLongs(root.getVector(INPUT_IDS), index, row.inputIds());
        Columns.setInts(root.getVector(SCORE_POSITIONS), index, row.scorePositions());
        Columns.setLabels(root.getVector(STEP_LABELS), index, row.stepLabels());
        Float4Vector outcome = (Float4Vector) root.getVector(OUTCOME_LABEL);
        if (row.outcomeLabel() == null) {
            outcome.setNull(index);
        } else {
            outcome.setSafe(index, row.outcomeLabel());
        }
        Columns.setString(root.getVector(FINAL_ANSWER), index, row.finalAnswer());
        Columns.setString(root.getVector(REFERENCE_ANSWER), index, row.referenceAnswer());
        Columns.setStrings(root.getVector(FLAGS), index, row.flags());
        if (withRollouts) {
            Columns.setInts(root.getVector(ROLLOUTS_CORRECT), index, row.rolloutsCorrect());
            Columns.setInts(root.getVector(ROLLOUTS_TOTAL), index, row.rolloutsTotal());
        }
    }

    /**
     * Stores the import statistics (JSON) in the file footer under {@link StepDatasetSchema#META_STATS}.
     * Call before {@link #commit()}.
     */
    public void putStats(String statsJson) {
        file.putFooterMetadata(META_STATS, statsJson);
    }

    public long rowsWritten() {
        return file.rowsWritten();
    }

    public Path target() {
        return target;
    }

    /** Writes the remaining rows and the footer and renames the temporary file to the target. */
    public void commit() throws IOException {
        file.commit();
    }

    /** Releases Arrow memory; deletes the temporary file when {@link #commit()} was not called. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
