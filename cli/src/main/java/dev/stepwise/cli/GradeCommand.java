package dev.stepwise.cli;

import dev.stepwise.dataset.grading.Grader;
import dev.stepwise.dataset.grading.GraderOptions;
import dev.stepwise.dataset.grading.JsonlGrader;
import dev.stepwise.dataset.grading.Verdict;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stepwise grade}: grades a JSON Lines file of responses against reference answers and
 * writes one result line per valid input line, reporting progress and bad lines on stderr.
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = {
            "Grades the answer of each line of a JSON Lines file against its reference.",
            "A line is an object with string fields \"response\" (a solution or an answer), \"reference\", and "
                    + "optionally \"question\" and \"unit\" (the unit the question asks for). A JSON number is "
                    + "read as its decimal text.",
            "Each output line repeats the input fields and adds verdict (CORRECT, INCORRECT, UNGRADABLE or "
                    + "UNGRADABLE_TIMEOUT), extracted, reference_extracted, normalized and reference_normalized.",
            "Bad lines are reported on stderr with their line number and skipped, and the exit code is then 1.",
            "Example: stepwise grade --input responses.jsonl --output graded.jsonl"})
public final class GradeCommand implements Callable<Integer> {

    private static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "JSON Lines file to grade.")
    Path input;

    @Option(names = {"--out", "--output"}, description = "File to write; default: standard output.")
    Path output;

    @Option(names = "--threads", description = "Lines graded at once (default: number of processors).")
    Integer threads;

    @Option(names = "--deadline-ms", defaultValue = "5000",
            description = "Per-line grading deadline in milliseconds (default: ${DEFAULT-VALUE}).")
    long deadlineMillis;

    @Option(names = "--units", defaultValue = "LENIENT",
            description = "Unit policy: LENIENT, STRICT or IGNORE (default: ${DEFAULT-VALUE}).")
    GraderOptions.UnitPolicy units;

    @Option(names = "--accept-fraction-for-percent",
            description = "Also accept 0.28 for 28%% (default: off; 28 and 28%% are always equal).")
    boolean acceptFractionForPercent;

    @Option(names = "--no-last-number", description = "Do not fall back to the last math segment or last number of a response.")
    boolean noLastNumber;

    @Override
    public Integer call() throws IOException {
        if (deadlineMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--deadline-ms must be at least 1, got " + deadlineMillis);
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        GraderOptions options = GraderOptions.DEFAULTS
                .withDeadline(Duration.ofMillis(deadlineMillis))
                .withUnits(units)
                .withAcceptFractionForPercent(acceptFractionForPercent)
                .withLastNumberFallback(!noLastNumber);
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        ProgressReport report = new ProgressReport(err, start);

        JsonlGrader.Summary summary;
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                Writer writer = openOutput()) {
            summary = new JsonlGrader(new Grader(options), threadCount).grade(reader, writer, report);
        }

        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder counts = new StringBuilder();
        for (Verdict verdict : Verdict.values()) {
            counts.append(", ").append(verdict).append(' ').append(summary.verdicts().getOrDefault(verdict, 0L));
        }
        err.printf("graded %d lines in %.1f s%s; bad lines %d%n", summary.lines() - summary.badLines(), seconds,
                counts, summary.badLines());
        err.flush();
        return summary.badLines() == 0 ? 0 : 1;
    }

    private Writer openOutput() throws IOException {
        if (output == null) {
            // Standard output stays open after the batch: wrap it so that closing the writer only flushes.
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    }

    /** Prints bad lines at once and a progress line at most every 2 s. */
    private static final class ProgressReport implements JsonlGrader.Listener {
        private final PrintWriter err;
        private final long start;
        private long lastReport;

        ProgressReport(PrintWriter err, long start) {
            this.err = err;
            this.start = start;
            this.lastReport = start;
        }

        @Override
        public void badLine(long lineNumber, String message) {
            err.printf("line %d: %s%n", lineNumber, message);
            err.flush();
        }

        @Override
        public void progress(long linesDone) {
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                lastReport = now;
                double seconds = (now - start) / 1e9;
                err.printf("graded %d lines, %.0f lines/s%n", linesDone, linesDone / seconds);
                err.flush();
            }
        }
    }
}
