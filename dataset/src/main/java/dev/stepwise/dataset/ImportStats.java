package dev.stepwise.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of what happened to the records of one import or tokenize run: read, kept, rejected by
 * reason, flagged by flag, steps and score positions. Every record read is either kept or counted
 * under one rejection reason, so {@code records_read == records_kept + sum(rejected)}. Not
 * thread-safe.
 */
public final class ImportStats {

    private static final Logger LOG = LoggerFactory.getLogger(ImportStats.class);
    /** Rejections logged in full at warn level; later ones are counted and logged at debug. */
    private static final int LOGGED_REJECTIONS = 20;

    private long valuesRead;
    private long recordsRead;
    private long recordsKept;
    private long steps;
    private long scorePositions;
    private long emptyStepsDropped;
    private final Map<String, Long> rejected = new TreeMap<>();
    private final Map<String, Long> flagged = new TreeMap<>();
    private long rejectionsLogged;

    /** Counts one source value (a JSON object) that becomes one record or one rejection. */
    public void recordRead() {
        valuesRead++;
        recordsRead++;
    }

    /**
     * Counts records beyond the first that one source value produced (PRM800K alternative
     * completions), so that {@code records_read == records_kept + rejected} always holds.
     */
    public void extraRecordsRead(int count) {
        recordsRead += count;
    }

    /** Source values (JSON objects) read; differs from {@link #recordsRead()} when one value gives several records. */
    public long valuesRead() {
        return valuesRead;
    }

    /** Counts a kept record with its number of steps and score positions (0 before tokenization). */
    public void recordKept(TraceRecord record, int positions) {
        recordsKept++;
        steps += record.steps().size();
        scorePositions += positions;
        for (String flag : record.flags()) {
            flagged.merge(flag, 1L, Long::sum);
        }
    }

    /** Counts a kept record that has no steps, such as a preference pair. */
    public void recordKept() {
        recordsKept++;
    }

    /** Counts a rejection and logs its message (the first few at warn level). */
    public void recordRejected(RejectedRecordException rejection) {
        rejected.merge(rejection.reason(), 1L, Long::sum);
        if (rejectionsLogged++ < LOGGED_REJECTIONS) {
            LOG.warn("{}", rejection.getMessage());
        } else {
            LOG.debug("{}", rejection.getMessage());
        }
    }

    public void emptyStepsDropped(int count) {
        emptyStepsDropped += count;
    }

    public long recordsRead() {
        return recordsRead;
    }

    public long recordsKept() {
        return recordsKept;
    }

    public long steps() {
        return steps;
    }

    public long scorePositions() {
        return scorePositions;
    }

    public long emptyStepsDropped() {
        return emptyStepsDropped;
    }

    /** Rejection counts by reason, sorted by reason. */
    public Map<String, Long> rejected() {
        return Map.copyOf(rejected);
    }

    /** Counts of kept records by flag. */
    public Map<String, Long> flagged() {
        return Map.copyOf(flagged);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Adds the counts of a later stage (for example tokenize after import) for a combined report. */
    public void addRejectionsFrom(ImportStats other) {
        other.rejected.forEach((reason, count) -> rejected.merge(reason, count, Long::sum));
    }

    /**
     * JSON with {@code records_read}, {@code records_kept}, {@code rejected} (reason → count),
     * {@code flagged}, {@code steps}, {@code score_positions} and {@code empty_steps_dropped}.
     */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("values_read", valuesRead);
        json.put("records_read", recordsRead);
        json.put("records_kept", recordsKept);
        ObjectNode rejectedJson = json.putObject("rejected");
        new TreeMap<>(rejected).forEach(rejectedJson::put);
        ObjectNode flaggedJson = json.putObject("flagged");
        new TreeMap<>(flagged).forEach(flaggedJson::put);
        json.put("steps", steps);
        json.put("score_positions", scorePositions);
        json.put("empty_steps_dropped", emptyStepsDropped);
        return json;
    }

    /** Restores counts written by {@link #toJson}. */
    public static ImportStats fromJson(com.fasterxml.jackson.databind.JsonNode json) {
        ImportStats stats = new ImportStats();
        stats.recordsRead = json.path("records_read").asLong();
        stats.valuesRead = json.path("values_read").asLong(stats.recordsRead);
        stats.recordsKept = json.path("records_kept").asLong();
        stats.steps = json.path("steps").asLong();
        stats.scorePositions = json.path("score_positions").asLong();
        stats.emptyStepsDropped = json.path("empty_steps_dropped").asLong();
        json.path("rejected").fields().forEachRemaining(e -> stats.rejected.put(e.getKey(), e.getValue().asLong()));
        json.path("flagged").fields().forEachRemaining(e -> stats.flagged.put(e.getKey(), e.getValue().asLong()));
        return stats;
    }
}
