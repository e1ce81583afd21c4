package dev.stepwise.notebooks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Executes the code cells of a notebook in order in one {@code jdk.jshell} session, as a Java
 * Jupyter kernel would, and stops at the first cell that does not compile or throws.
 *
 * <p>The session runs in a separate JVM with the classpath of the calling JVM. Notebooks read the
 * system property {@value #OUTPUT_PROPERTY} for the folder to write files into; PNG files that
 * appear there while a cell runs become that cell's image outputs.
 */
final class NotebookRunner {
    /** System property, set in the notebook's JVM, naming the folder the notebook writes files into. */
    static final String OUTPUT_PROPERTY = "stepwise.notebook.out";

    private final Duration cellTimeout;

    NotebookRunner(Duration cellTimeout) {
        this.cellTimeout = cellTimeout;
    }

    /**
     * Runs every code cell of {@code notebook}.
     *
     * @param outputDir the folder passed to the notebook as {@value #OUTPUT_PROPERTY}
     * @return one result per code cell
     * @throws CellFailedException naming the notebook, the cell index (0-based, counting code cells
     *     only) and the compiler diagnostics or the exception
     */
    List<Notebook.CellResult> run(Notebook notebook, Path outputDir) throws IOException {
        Files.createDirectories(outputDir);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<Notebook.CellResult> results = new ArrayList<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try (JShell shell = JShell.builder()
                .out(sink)
                .err(sink)
                .remoteVMOptions(vmOptions(outputDir))
                .build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            List<String> cells = notebook.codeCells();
            for (int index = 0; index < cells.size(); index++) {
                Set<String> imagesBefore = pngNames(outputDir);
                AtomicBoolean timedOut = new AtomicBoolean();
                var stopper = watchdog.schedule(() -> {
                    timedOut.set(true);
                    shell.stop();
                }, cellTimeout.toMillis(), TimeUnit.MILLISECONDS);
                String value;
                try {
                    value = runCell(shell, notebook, index, cells.get(index), captured, timedOut);
                } finally {
                    stopper.cancel(false);
                }
                shell.eval("System.out.flush(); System.err.flush();");
                String output = captured.toString(StandardCharsets.UTF_8);
                captured.reset();
                results.add(new Notebook.CellResult(output, newImages(outputDir, imagesBefore), value));
            }
        } finally {
            watchdog.shutdownNow();
        }
        return results;
    }

    private String[] vmOptions(Path outputDir) {
        List<String> options = new ArrayList<>(List.of(
                // Without it DJL prints arrays without their values under the JShell debugger agent.
                "-Djshell=true",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.graph_optimizer=false",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.ai.djl=error",
                "-D" + OUTPUT_PROPERTY + "=" + outputDir.toAbsolutePath()));
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options.toArray(String[]::new);
    }

    /** Evaluates the snippets of one cell; returns the value of the last one when it is an expression. */
    private static String runCell(JShell shell, Notebook notebook, int index, String source,
            ByteArrayOutputStream captured, AtomicBoolean timedOut) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        String value = null;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == Completeness.EMPTY) {
                break;
            }
            if (!info.completeness().isComplete()) {
                throw new CellFailedException(notebook, index, "incomplete code at the end of the cell: "
                        + remaining.strip(), captured);
            }
            value = null;
            for (SnippetEvent event : shell.eval(info.source())) {
                value = check(shell, notebook, index, event, captured, timedOut);
            }
            remaining = info.remaining();
        }
        return value;
    }

    private static String check(JShell shell, Notebook notebook, int index, SnippetEvent event,
            ByteArrayOutputStream captured, AtomicBoolean timedOut) {
        Snippet snippet = event.snippet();
        if (event.exception() != null) {
            String reason = timedOut.get() ? "timed out and was stopped" : describe(event.exception());
            throw new CellFailedException(notebook, index, reason + "\n  in: " + snippet.source().strip(), captured);
        }
        if (event.status() == Snippet.Status.REJECTED) {
            String diagnostics = shell.diagnostics(snippet)
                    .map(d -> d.getMessage(null))
                    .collect(Collectors.joining("; "));
            throw new CellFailedException(notebook, index, "does not compile: " + diagnostics
                    + "\n  in: " + snippet.source().strip(), captured);
        }
        if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            String missing = snippet instanceof jdk.jshell.DeclarationSnippet declaration
                    ? shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "))
                    : "?";
            throw new CellFailedException(notebook, index, "refers to undefined names: " + missing
                    + "\n  in: " + snippet.source().strip(), captured);
        }
        boolean expression = snippet.kind() == Snippet.Kind.EXPRESSION
                || (snippet.kind() == Snippet.Kind.VAR && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
        return expression && event.causeSnippet() == null ? event.value() : null;
    }

    private static String describe(Throwable exception) {
        String className = exception instanceof EvalException eval ? eval.getExceptionClassName()
                : exception.getClass().getName();
        StringBuilder text = new StringBuilder("threw " + className + ": " + exception.getMessage());
        StackTraceElement[] frames = exception.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 12); i++) {
            text.append("\n    at ").append(frames[i]);
        }
        Throwable cause = exception.getCause();
        if (cause != null) {
            text.append("\n  caused by ").append(describe(cause));
        }
        return text.toString();
    }

    private static Set<String> pngNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".png"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<byte[]> newImages(Path dir, Set<String> before) throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (String name : pngNames(dir)) {
            if (!before.contains(name)) {
                images.add(Files.readAllBytes(dir.resolve(name)));
            }
        }
        return images;
    }

    /** A cell that did not compile, referred to undefined names, threw, or ran past the timeout. */
    static final class CellFailedException extends RuntimeException {
        CellFailedException(Notebook notebook, int cellIndex, String reason, ByteArrayOutputStream output) {
            super(notebook.file().getFileName() + ": code cell " + cellIndex + " " + reason
                    + outputTail(output));
        }

        private static String outputTail(ByteArrayOutputStream output) {
            String text = output.toString(StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            return "\n  cell output (last 2000 characters):\n"
                    + text.substring(Math.max(0, text.length() - 2000));
        }
    }
}
