package dev.stepwise.notebooks;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Jupyter notebook file (nbformat 4): its code cells in order, and a writer that replaces the
 * outputs of those cells. Markdown cells are kept as they are.
 */
final class Notebook {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode root;

    private Notebook(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** Reads {@code file}; throws naming the file when it is not an nbformat 4 notebook. */
    static Notebook read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!(root instanceof ObjectNode object) || root.path("nbformat").asInt() != 4 || !root.path("cells").isArray()) {
            throw new IOException(file + " is not an nbformat 4 notebook: expected an object with nbformat 4 and a"
                    + " cells array");
        }
        return new Notebook(file, object);
    }

    Path file() {
        return file;
    }

    /** The source of each code cell, in order. */
    List<String> codeCells() {
        List<String> sources = new ArrayList<>();
        for (JsonNode cell : root.path("cells")) {
            if ("code".equals(cell.path("cell_type").asText())) {
                sources.add(joinSource(cell.path("source")));
            }
        }
        return sources;
    }

    /**
     * Replaces the outputs and execution counts of the code cells with {@code results} (one per code
     * cell, in order), sets the Java kernel metadata and writes the file through a temporary file.
     */
    void writeOutputs(List<CellResult> results) throws IOException {
        int codeIndex = 0;
        for (JsonNode node : root.path("cells")) {
            ObjectNode cell = (ObjectNode) node;
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            if (codeIndex >= results.size()) {
                throw new IllegalArgumentException(file + " has more code cells than the " + results.size()
                        + " results given");
            }
            CellResult result = results.get(codeIndex++);
            cell.put("execution_count", codeIndex);
            cell.set("outputs", outputs(result, codeIndex));
        }
        ObjectNode metadata = root.with("metadata");
        ObjectNode kernel = metadata.putObject("kernelspec");
        kernel.put("name", "java");
        kernel.put("display_name", "Java");
        kernel.put("language", "java");
        ObjectNode language = metadata.putObject("language_info");
        language.put("name", "java");
        language.put("version", Runtime.version().feature() + "");
        language.put("mimetype", "text/x-java-source");
        language.put("file_extension", ".jshell");

        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(
                new DefaultIndenter(" ", "\n")).withArrayIndenter(new DefaultIndenter(" ", "\n"));
        byte[] bytes = (JSON.writer(printer).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ArrayNode outputs(CellResult result, int executionCount) {
        ArrayNode outputs = JSON.createArrayNode();
        if (!result.output().isEmpty()) {
            ObjectNode stream = outputs.addObject();
            stream.put("output_type", "stream");
            stream.put("name", "stdout");
            stream.set("text", lines(result.output()));
        }
        for (byte[] png : result.images()) {
            ObjectNode display = outputs.addObject();
            display.put("output_type", "display_data");
            ObjectNode data = display.putObject("data");
            data.put("image/png", Base64.getEncoder().encodeToString(png));
            data.set("text/plain", lines("<PNG image, " + png.length + " bytes>"));
            display.putObject("metadata");
        }
        if (result.value() != null) {
            ObjectNode value = outputs.addObject();
            value.put("output_type", "execute_result");
            value.put("execution_count", executionCount);
            value.putObject("data").set("text/plain", lines(result.value()));
            value.putObject("metadata");
        }
        return outputs;
    }

    /** Splits text into the line list that nbformat stores, each line keeping its line break. */
    private static ArrayNode lines(String text) {
        ArrayNode array = JSON.createArrayNode();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end + 1;
            array.add(text.substring(start, end));
            start = end;
        }
        return array;
    }

    private static String joinSource(JsonNode source) {
        if (source.isTextual()) {
            return source.asText();
        }
        StringBuilder text = new StringBuilder();
        source.forEach(line -> text.append(line.asText()));
        return text.toString();
    }

    /**
     * What one code cell produced.
     *
     * @param output everything the cell printed to stdout and stderr, in order
     * @param images PNG files the cell wrote into the notebook's output folder, by file name
     * @param value the value of the cell's last snippet when it is an expression, or null
     */
    record CellResult(String output, List<byte[]> images, String value) {
        CellResult {
            images = List.copyOf(images);
        }
    }
}
