package dev.stepwise.serve.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stepwise.serve.search.internal.Calibrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Adaptive thresholds chosen on validation problems, with what they achieved there. Saved as JSON
 * and reused with {@link #read(Path)}.
 *
 * @param thresholds the chosen thresholds
 * @param target what they were chosen for
 * @param rungs the strategy names of the ladder they were chosen on, greedy first; a reuse must run the same ladder
 * @param validationProblems how many validation problems were used
 * @param accuracy fraction of validation problems answered correctly with these thresholds
 * @param averageComputeTokens average {@link ComputeCost#computeTokens()} per validation problem
 * @param targetReached whether the target was met; when false the closest thresholds were chosen
 */
public record Calibration(
        Thresholds thresholds,
        CalibrationTarget target,
        List<String> rungs,
        int validationProblems,
        double accuracy,
        double averageComputeTokens,
        boolean targetReached) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Calibration {
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(target, "target");
        rungs = List.copyOf(rungs);
    }

    /**
     * Runs every rung of {@code ladder} (greedy first) on each validation problem once, then picks the
     * thresholds that best meet {@code target} by replaying the escalation rule on the recorded
     * results. Candidate thresholds are 0 and the scores seen on validation, thinned to at most 128
     * evenly spaced values per threshold. The ORM threshold is calibrated only when {@code context}
     * has an ORM.
     *
     * @param computeBudget per-problem budget the live search will use (0 for none), replayed as well
     * @throws IllegalArgumentException when a validation problem has no reference answer
     */
    public static Calibration fit(
            SearchContext context, List<StrategySpec> ladder, long computeBudget, List<Problem> validation,
            CalibrationTarget target) {
        return Calibrator.fit(context, ladder, computeBudget, validation, target);
    }

    /**
     * Returns the adaptive configuration with these thresholds.
     *
     * @throws IllegalArgumentException when {@code config}'s ladder differs from the calibrated one
     */
    public AdaptiveConfig applyTo(AdaptiveConfig config, SearchContext context) {
        AdaptiveConfig calibrated = config.withThresholds(thresholds);
        List<String> names = Calibrator.rungNames(context, calibrated);
        if (!names.equals(rungs)) {
            throw new IllegalArgumentException("the calibration was fitted on rungs " + rungs + " but the adaptive ladder"
                    + " is " + names + "; recalibrate for this ladder or pass the same strategies");
        }
        return calibrated;
    }

    /** Writes this calibration as JSON through a temporary file and a rename. */
    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        JSON.writeValue(temporary.toFile(), this);
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a calibration written by {@link #write(Path)}. */
    public static Calibration read(Path path) throws IOException {
        try {
            return JSON.readValue(path.toFile(), Calibration.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("calibration file " + path + " is not a valid calibration: " + e.getOriginalMessage(), e);
        }
    }
}
