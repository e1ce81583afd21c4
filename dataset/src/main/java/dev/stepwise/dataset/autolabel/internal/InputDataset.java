package dev.stepwise.dataset.autolabel.internal;

import dev.stepwise.dataset.RecordFlags;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input step dataset: its traces, its metadata and its SHA-256.
 *
 * @param traces one per row, in file order
 * @param finalAnswerMissing per row, whether the row lacks the solution's last step (it was cut
 *     during import), so the last kept step cannot take the final grade
 * @param finalAnswers per row, the row's {@code final_answer} column (null when absent)
 */
public record InputDataset(Path file, List<Trace> traces, boolean[] finalAnswerMissing, List<String> finalAnswers,
        Map<String, String> metadata, String sha256) {

    /** Rows whose steps were cut at import carry one of these flags. */
    private static final Set<String> CUT_FLAGS = Set.of(RecordFlags.FINAL_ANSWER_DROPPED, RecordFlags.TRUNCATED);

    /**
     * Reads every row's problem, steps and answers.
     *
     * @throws IllegalArgumentException when two rows share an id or a row's steps and score positions
     *     differ in number, naming both rows or the row
     */
    public static InputDataset read(Path file) throws IOException {
        List<Trace> traces = new ArrayList<>();
        List<Boolean> cut = new ArrayList<>();
        List<String> finalAnswers = new ArrayList<>();
        Map<String, Integer> rowById = new HashMap<>();
        Map<String, String> metadata;
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            metadata = Map.copyOf(reader.metadata());
            while (reader.loadNextBatch()) {
                int count = reader.batch().getRowCount();
                for (int i = 0; i < count; i++) {
                    StepRow row = reader.row(i);
                    int index = traces.size();
                    Integer earlier = rowById.putIfAbsent(row.id(), index);
                    if (earlier != null) {
                        throw new IllegalArgumentException("input " + file + " has id '" + row.id() + "' at rows "
                                + earlier + " and " + index + "; auto-labeling needs unique ids to resume");
                    }
                    if (row.steps().size() != row.scorePositions().length) {
                        throw new IllegalArgumentException("input " + file + " row " + index + " (id " + row.id()
                                + ") has " + row.steps().size() + " steps but " + row.scorePositions().length
                                + " score positions; expected one per step");
                    }
                    traces.add(new Trace(index, row.id(), row.problem(), row.steps(), row.referenceAnswer()));
                    cut.add(row.flags().stream().anyMatch(CUT_FLAGS::contains));
                    finalAnswers.add(row.finalAnswer());
                }
            }
        }
        boolean[] finalAnswerMissing = new boolean[cut.size()];
        for (int i = 0; i < finalAnswerMissing.length; i++) {
            finalAnswerMissing[i] = cut.get(i);
        }
        return new InputDataset(file, traces, finalAnswerMissing, finalAnswers, metadata, sha256(file));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE runtime must provide", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
