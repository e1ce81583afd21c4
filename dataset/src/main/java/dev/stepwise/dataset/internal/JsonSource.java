package dev.stepwise.dataset.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams the JSON values of a file: one per line for {@code .jsonl}, otherwise the elements of a
 * top-level array or a sequence of concatenated values. {@code .gz} files are decompressed.
 */
public final class JsonSource {

    /** Receives each value with its number: the 1-based line for JSON Lines, the 0-based element index otherwise. */
    public interface Visitor {
        void value(long number, JsonNode value) throws IOException;

        /** A line of a JSON Lines file that is not valid JSON. */
        void invalid(long line, String message);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSource() {
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    public static void read(Path file, Visitor visitor) throws IOException {
        String name = file.getFileName().toString();
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        try (InputStream input = open(file)) {
            if (base.endsWith(".jsonl")) {
                readLines(input, visitor);
            } else {
                readValues(file, input, visitor);
            }
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static void readLines(InputStream input, Visitor visitor) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8), 1 << 16);
        String line;
        long number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode value;
            try {
                value = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                visitor.invalid(number, "invalid JSON: " + e.getOriginalMessage());
                continue;
            }
            visitor.value(number, value);
        }
    }

    private static void readValues(Path file, InputStream input, Visitor visitor) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(input)) {
            JsonToken first = parser.nextToken();
            long index = 0;
            if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    visitor.value(index++, JSON.readTree(parser));
                }
                return;
            }
            while (first != null) {
                visitor.value(index++, JSON.readTree(parser));
                first = parser.nextToken();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("Failed to parse " + file + " as JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
    }
}
