package dev.stepwise.prm.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON object per optimizer step to a file: {@code epoch}, {@code step}, {@code loss},
 * {@code gradient_norm}, {@code learning_rate}, {@code tokens}, {@code elapsed_ms}. Appending keeps the lines of a
 * run that was resumed. Close it after training.
 */
public final class MetricsJsonlListener implements TrainingListener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter writer;

    public MetricsJsonlListener(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void onStepEnd(StepReport report, Checkpointer checkpointer) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("epoch", report.epoch());
        line.put("step", report.step());
        line.put("loss", report.loss());
        line.put("gradient_norm", report.gradientNorm());
        line.put("learning_rate", report.learningRate());
        line.put("tokens", report.tokens());
        line.put("elapsed_ms", report.elapsedNanos() / 1_000_000);
        writer.write(JSON.writeValueAsString(line));
        writer.newLine();
        writer.flush();
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
