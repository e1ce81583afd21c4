package dev.stepwise.dataset;

import dev.stepwise.dataset.arrow.StepDatasetWriter;
import dev.stepwise.dataset.arrow.StepRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Turns trace records into step rows through a {@link StepSegmenter} and rejects, with a counted
 * reason, every record that cannot become a training row:
 *
 * <ul>
 *   <li>{@code no_kept_step}: the problem and the first step do not fit in the token limit;</li>
 *   <li>{@code position_count_mismatch}: the number of score positions differs from the number of
 *       kept labels;</li>
 *   <li>{@code all_labels_ignored}: no kept step has a label (allowed with {@code allowUnlabelled});</li>
 *   <li>the segmenter's own reasons ({@link StepSegmenter#SEPARATOR_INSIDE_STEP},
 *       {@link StepSegmenter#SEPARATOR_NOT_ONE_TOKEN}).</li>
 * </ul>
 *
 * <p>A row cut at a step boundary is flagged {@code truncated}; when it lost its last step it is
 * also flagged {@code final_answer_dropped} and its outcome label is removed, so it is never used as
 * an outcome example. Thread-safe when the segmenter is.
 */
public final class TokenizeStage {

    private final StepSegmenter segmenter;
    private final boolean allowUnlabelled;

    /**
     * @param allowUnlabelled keep rows whose labels are all ignored, for example raw traces that
     *                        auto-labelling will fill in
     */
    public TokenizeStage(StepSegmenter segmenter, boolean allowUnlabelled) {
        this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
        this.allowUnlabelled = allowUnlabelled;
    }

    /**
     * Segments one record.
     *
     * @throws RejectedRecordException naming the record, the reason and the counts involved
     */
    public StepRow toRow(TraceRecord record) {
        StepSegmenter.Segment segment;
        try {
            segment = segmenter.segment(record.problem(), record.steps());
        } catch (RejectedRecordException e) {
            throw new RejectedRecordException(record.id(), e.reason(), e.getMessage());
        }
        if (segment.keptSteps() == 0) {
            throw new RejectedRecordException(record.id(), "no_kept_step", "the problem and the first step take more than "
                    + segmenter.maxTokens() + " tokens");
        }
        if (segment.scorePositions().length != segment.keptSteps()) {
            throw new RejectedRecordException(record.id(), "position_count_mismatch", "found "
                    + segment.scorePositions().length + " score positions for " + segment.keptSteps() + " step labels");
        }

        float[] labels = record.stepLabels();
        boolean anyLabel = false;
        for (int i = 0; i < segment.keptSteps(); i++) {
            anyLabel |= !StepLabels.isIgnored(labels[i]);
        }
        if (!anyLabel && !allowUnlabelled) {
            throw new RejectedRecordException(record.id(), "all_labels_ignored", "none of the " + segment.keptSteps()
                    + " kept steps has a label");
        }

        List<String> flags = new ArrayList<>(record.flags());
        if (segment.truncated()) {
            flags.add(RecordFlags.TRUNCATED);
        }
        if (!segment.finalAnswerKept()) {
            flags.add(RecordFlags.FINAL_ANSWER_DROPPED);
        }
        flags.sort(null);
        return StepRow.of(record, segment, flags);
    }

    /**
     * Reads each file with {@code reader}, segments every record and writes the kept rows. Rejections
     * are counted in {@code stats}; the caller commits the writer.
     *
     * @param progress receives the number of records read so far, every 1000 records
     */
    public void run(List<Path> files, TraceReader reader, StepDatasetWriter writer, ImportStats stats,
                    LongConsumer progress) throws IOException {
        for (Path file : files) {
            try {
                TraceReaders.read(file, reader, record -> {
                    if (write(record, writer, stats) && stats.recordsKept() % 1000 == 0) {
                        progress.accept(stats.recordsRead());
                    }
                }, stats);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Segments one record and writes its row, or counts its rejection in {@code stats}.
     *
     * @return true when the row was written
     * @throws UncheckedIOException when the writer fails
     */
    public boolean write(TraceRecord record, StepDatasetWriter writer, ImportStats stats) {
        StepRow row;
        try {
            row = toRow(record);
        } catch (RejectedRecordException e) {
            stats.recordRejected(e);
            return false;
        }
        try {
            writer.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write row " + row.id() + " to " + writer.target(), e);
        }
        TraceRecord kept = record.withSteps(row.steps(), row.stepLabels());
        for (String flag : row.flags()) {
            kept = kept.flags().contains(flag) ? kept : kept.withFlag(flag);
        }
        stats.recordKept(kept, row.scorePositions().length);
        return true;
    }

    public StepSegmenter segmenter() {
        return segmenter;
    }
}
