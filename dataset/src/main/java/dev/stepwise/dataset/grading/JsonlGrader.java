package dev.stepwise.dataset.grading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Grades a JSON Lines batch. Each input line is an object with string fields {@code response} (a
 * solution or an answer) and {@code reference}, and optionally {@code question} (read for the
 * collection order, see {@link GradeContext#ofQuestion}) and {@code unit} (the unit the question
 * asks for, see {@link GradeContext#unit()}). A field may also be a JSON number, read as its
 * decimal digits ({@code 1e3} is {@code 1000}). Each output line repeats every input field
 * and adds {@code verdict}, {@code extracted}, {@code reference_extracted}, {@code normalized} and
 * {@code reference_normalized} (null where not reached). Output lines keep the input order. A line
 * that is not a JSON object or lacks a field gets no output line. It is reported to the listener
 * with its 1-based line number, and the batch goes on. Blank lines are skipped.
 */
public final class JsonlGrader {

    // Trailing text after the object ({"a": 1} x) makes the line invalid instead of being dropped.
    // Floats are read as BigDecimal so that a numeric answer such as 9.80 or 0.1000000000000000001 keeps
    // its digits, both for grading and in the repeated input fields of the output line.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private final Grader grader;
    private final int threads;

    /** Receives bad lines and progress; calls come from the thread that runs {@link #grade}. */
    public interface Listener {
        /** A line that was skipped, with its 1-based number and the reason. */
        default void badLine(long lineNumber, String message) {}

        /** Called after each written or skipped line with the number of input lines done so far. */
        default void progress(long linesDone) {}
    }

    /**
     * Counts for one batch.
     *
     * @param lines non-blank input lines read
     * @param badLines lines skipped because they were invalid
     * @param verdicts graded lines per verdict
     */
    public record Summary(long lines, long badLines, Map<Verdict, Long> verdicts) {}

    /**
     * @param grader the grader for every line
     * @param threads lines graded at once, at least 1
     */
    public JsonlGrader(Grader grader, int threads) {
        this.grader = Objects.requireNonNull(grader, "grader");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    /** Grades every line of {@code input} and writes the results to {@code output}; closes neither. */
    public Summary grade(BufferedReader input, Writer output, Listener listener) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "stepwise-grade-batch");
            thread.setDaemon(true);
            return thread;
        });
        Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        long lineNumber = 0;
        long lines = 0;
        long badLines = 0;
        try {
            String line;
            while ((line = input.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                String text = line;
                long number = lineNumber;
                pending.add(new Pending(number, pool.submit(() -> gradeLine(text))));
                if (pending.size() >= threads * 8) {
                    badLines += writeNext(pending, output, listener, verdicts, lines - pending.size() + 1);
                }
            }
            while (!pending.isEmpty()) {
                badLines += writeNext(pending, output, listener, verdicts, lines - pending.size() + 1);
            }
        } finally {
            pool.shutdownNow();
        }
        output.flush();
        return new Summary(lines, badLines, verdicts);
    }

    private static int writeNext(ArrayDeque<Pending> pending, Writer output, Listener listener,
            Map<Verdict, Long> verdicts, long linesDone) throws IOException {
        Pending next = pending.poll();
        LineResult result;
        try {
            result = next.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while grading line " + next.lineNumber(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("grading line " + next.lineNumber() + " failed; this is a bug", e.getCause());
        }
        int bad = 0;
        if (result.error() != null) {
            listener.badLine(next.lineNumber(), result.error());
            bad = 1;
        } else {
            output.write(result.json());
            output.write('\n');
            verdicts.merge(result.verdict(), 1L, Long::sum);
        }
        listener.progress(linesDone);
        return bad;
    }

    private LineResult gradeLine(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return LineResult.error("invalid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode row)) {
            return LineResult.error("expected a JSON object, found " + node.getNodeType());
        }

        String response;
        String reference;
        String question;
        String unit;
        try {
            response = textField(row, "response");
            reference = textField(row, "reference");
            question = textField(row, "question");
            unit = textField(row, "unit");
        } catch (IllegalArgumentException e) {
            return LineResult.error(e.getMessage());
        }
        if (response == null || reference == null) {
            return LineResult.error("missing field '" + (response == null ? "response" : "reference")
                    + "'; every line needs fields 'response' and 'reference' (strings or numbers)");
        }
        if (unit != null && unit.isBlank()) {
            return LineResult.error("blank field 'unit'; leave it out or name a unit such as \"cents\"");
        }
        GradeContext context = new GradeContext(question, GradeContext.CollectionOrder.AUTO, unit);

        GradeResult result = grader.grade(response, reference, context);
        row.put("verdict", result.verdict().name());
        row.put("extracted", result.extracted());
        row.put("reference_extracted", result.referenceExtracted());
        row.put("normalized", result.normalized());
        row.put("reference_normalized", result.referenceNormalized());

        try {
            return new LineResult(JSON.writeValueAsString(row), result.verdict(), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree that was just read; this is a bug", e);
        }
    }

    /**
     * Returns a field as text: a string as it is, a number as its decimal digits (no exponent), and null
     * when the field is absent or JSON null.
     *
     * @throws IllegalArgumentException when the field is a boolean, an array or an object
     */
    private static String textField(ObjectNode row, String name) {
        JsonNode value = row.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        String found = value.toString();
        if (found.length() > 60) {
            found = found.substring(0, 60) + "…";
        }
        throw new IllegalArgumentException("field '" + name + "' is "
                + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + found
                + "; expected a string or a number");
    }

    private record Pending(long lineNumber, Future<LineResult> result) {}

    private record LineResult(String json, Verdict verdict, String error) {
        static LineResult error(String message) {
            return new LineResult(null, null, message);
        }
    }
}
