package dev.stepwise.dataset.autolabel.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only JSON-lines log of finished work, the resume point of an auto-labeling job.
 *
 * <p>Line 1 is a header with the settings that decide rollout results; every later line is one
 * {@link LogEntry}. Each line is written with one positional write at the end of the file, so a
 * process killed at any moment leaves whole lines plus at most one torn line at the end. On open, a
 * torn last line (no newline, or not JSON) is cut off. A bad line anywhere else is an error, because
 * only another program can have written it. The log is synced to disk at most every
 * {@link #SYNC_INTERVAL_NANOS} and on close: a killed process loses nothing that was written, and a
 * power loss loses at most that interval. The file is locked while open, so two jobs cannot append
 * to one log. Thread-safe.
 */
public final class RolloutLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutLog.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Format version in the header; bump when a line changes meaning. */
    static final int FORMAT = 1;
    static final long SYNC_INTERVAL_NANOS = 2_000_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final List<LogEntry> entries;
    private long lastSyncNanos = System.nanoTime();
    private long linesAppended;

    private RolloutLog(Path path, FileChannel channel, List<LogEntry> entries) {
        this.path = path;
        this.channel = channel;
        this.entries = entries;
    }

    /**
     * Opens the log at {@code path}, creating it with a header of {@code settings} when it is absent
     * or empty.
     *
     * @throws IllegalArgumentException when the existing header has other settings, naming each difference
     * @throws IOException when a line other than the last is not a valid entry, naming line and byte offset
     */
    public static RolloutLog open(Path path, Map<String, String> settings) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        List<LogEntry> entries = new ArrayList<>();
        long validBytes = 0;
        boolean hasHeader = false;
        if (Files.exists(path)) {
            Scan scan = scan(path, settings, entries);
            validBytes = scan.validBytes;
            hasHeader = scan.hasHeader;
            long size = Files.size(path);
            if (size > validBytes) {
                LOG.warn("rollout log {}: cutting a torn last line of {} bytes at byte offset {} (the previous run "
                        + "was stopped while writing it)", path, size - validBytes, validBytes);
            }
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            // The operating system drops the lock when the process dies, SIGKILL included.
            if (!tryLock(channel)) {
                throw new IllegalStateException("rollout log " + path + " is locked by another running job; wait for "
                        + "it to finish or stop it before resuming");
            }
            channel.truncate(validBytes);
            channel.position(validBytes);
            RolloutLog log = new RolloutLog(path, channel, entries);
            if (!hasHeader) {
                log.writeLine(header(settings));
                log.channel.force(false);
            }
            return log;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Returns false when another process, or another channel of this JVM, holds the lock. */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false;
        }
    }

    /** Entries read at open, in file order. */
    public List<LogEntry> entries() {
        return List.copyOf(entries);
    }

    public Path path() {
        return path;
    }

    /** Appends one entry as one line. */
    public void append(LogEntry entry) throws IOException {
        writeLine(encode(entry));
    }

    private synchronized void writeLine(ObjectNode node) throws IOException {
        byte[] bytes = (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        linesAppended++;
        long now = System.nanoTime();
        if (now - lastSyncNanos >= SYNC_INTERVAL_NANOS) {
            channel.force(false);
            lastSyncNanos = now;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            channel.force(false);
            channel.close();
            LOG.debug("rollout log {} closed after {} appended lines", path, linesAppended);
        }
    }

    private static ObjectNode header(Map<String, String> settings) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "header");
        node.put("format", FORMAT);
        ObjectNode values = node.putObject("settings");
        new TreeMap<>(settings).forEach(values::put);
        return node;
    }

    private static ObjectNode encode(LogEntry entry) {
        ObjectNode node = MAPPER.createObjectNode();
        if (entry instanceof LogEntry.Probe probe) {
            node.put("type", "probe").put("record", probe.record()).put("step", probe.step())
                    .put("first", probe.first()).put("verdicts", probe.verdicts())
                    .put("prompt_tokens", probe.promptTokens()).put("completion_tokens", probe.completionTokens());
        } else if (entry instanceof LogEntry.Failed failed) {
            node.put("type", "failed").put("record", failed.record()).put("step", failed.step())
                    .put("first", failed.first()).put("count", failed.count()).put("reason", failed.reason())
                    .put("message", failed.message());
        } else if (entry instanceof LogEntry.FinalGrade grade) {
            node.put("type", "final").put("record", grade.record()).put("verdict", String.valueOf(grade.verdict()));
        }
        return node;
    }

    private record Scan(long validBytes, boolean hasHeader) {
    }

    /** Reads whole lines, stopping before a torn last line; fills {@code entries}. */
    private static Scan scan(Path path, Map<String, String> settings, List<LogEntry> entries) throws IOException {
        long offset = 0;
        long validBytes = 0;
        int lineNumber = 0;
        boolean hasHeader = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            String pendingError = null;
            int next;
            while ((next = in.read()) != -1) {
                offset++;
                if (next != '\n') {
                    line.write(next);
                    continue;
                }
                lineNumber++;
                if (pendingError != null) {
                    throw new IOException(pendingError);
                }
                int lineBytes = line.size();
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                try {
                    if (lineNumber == 1) {
                        checkHeader(path, text, settings);
                        hasHeader = true;
                    } else {
                        entries.add(decode(text));
                    }
                    validBytes = offset;
                } catch (IllegalArgumentException | JsonProcessingException e) {
                    if (e instanceof SettingsMismatch mismatch) {
                        throw mismatch;
                    }
                    // A bad line is only acceptable as the last line of the file, so defer the error.
                    pendingError = "rollout log " + path + " is corrupt at line " + lineNumber + " (byte offset "
                            + (offset - lineBytes - 1) + "): " + e.getMessage()
                            + "; it was not written by stepwise. Move it away to start over.";
                }
            }
        }
        return new Scan(validBytes, hasHeader);
    }

    private static void checkHeader(Path path, String text, Map<String, String> settings) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || !"header".equals(node.path("type").asText())) {
            throw new IllegalArgumentException("line 1 is not a rollout log header");
        }
        int format = node.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new SettingsMismatch("rollout log " + path + " has format " + format + ", expected " + FORMAT
                    + "; use another output path or move the log away");
        }
        Map<String, String> found = new TreeMap<>();
        node.path("settings").fields().forEachRemaining(field -> found.put(field.getKey(), field.getValue().asText()));
        TreeSet<String> keys = new TreeSet<>(found.keySet());
        keys.addAll(settings.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String expected = settings.get(key);
            String actual = found.get(key);
            if (expected == null ? actual != null : !expected.equals(actual)) {
                differences.add(key + ": log has " + actual + ", this job has " + expected);
            }
        }
        if (!differences.isEmpty()) {
            throw new SettingsMismatch("rollout log " + path + " was written by a job with other settings ("
                    + String.join("; ", differences) + "). Resume with the same settings, or choose another output "
                    + "path or log to start over.");
        }
    }

    private static LogEntry decode(String text) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("line is not a JSON object");
        }
        String type = node.path("type").asText("");
        String record = requiredText(node, "record");
        return switch (type) {
            case "probe" -> {
                String verdicts = requiredText(node, "verdicts");
                for (int i = 0; i < verdicts.length(); i++) {
                    if (!Verdicts.isValid(verdicts.charAt(i))) {
                        throw new IllegalArgumentException("unknown verdict letter '" + verdicts.charAt(i) + "'");
                    }
                }
                yield new LogEntry.Probe(record, requiredInt(node, "step"), requiredInt(node, "first"), verdicts,
                        node.path("prompt_tokens").asLong(0), node.path("completion_tokens").asLong(0));
            }
            case "failed" -> new LogEntry.Failed(record, requiredInt(node, "step"), requiredInt(node, "first"),
                    requiredInt(node, "count"), requiredText(node, "reason"), node.path("message").asText(""));
            case "final" -> {
                String verdict = requiredText(node, "verdict");
                if (verdict.length() != 1 || !Verdicts.isValid(verdict.charAt(0))) {
                    throw new IllegalArgumentException("unknown final verdict '" + verdict + "'");
                }
                yield new LogEntry.FinalGrade(record, verdict.charAt(0));
            }
            default -> throw new IllegalArgumentException("unknown entry type '" + type + "'");
        };
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing string field '" + field + "'");
        }
        return value.asText();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new IllegalArgumentException("missing non-negative integer field '" + field + "'");
        }
        return value.asInt();
    }

    /** The header does not match the job; never treated as a torn line. */
    static final class SettingsMismatch extends IllegalArgumentException {
        SettingsMismatch(String message) {
            super(message);
        }
    }
}
