package dev.stepwise.dataset.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.StepLabels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statistics of a step dataset file: the import counts stored in its footer, label balance, steps
 * per trace and tokens per step.
 *
 * <p>Tokens per step counts the ids from one score position to the next, so it covers steps after
 * the first; the first step's ids follow the problem text, whose length the file does not store.
 */
public final class StepDatasetStats {

    private StepDatasetStats() {
    }

    /**
     * Reads {@code file} and returns a JSON object with {@code records_read}, {@code records_kept},
     * {@code rejected}, {@code flagged}, {@code steps}, {@code score_positions} (from the footer when
     * the file has import statistics, else from the rows), {@code rows}, {@code label_balance},
     * {@code steps_per_trace}, {@code tokens_per_step}, {@code tokens_per_row} and {@code flags}.
     */
    public static ObjectNode compute(Path file, ObjectMapper mapper) throws IOException {
        long rows = 0;
        long positive = 0;
        long negative = 0;
        long soft = 0;
        long ignored = 0;
        long positions = 0;
        IntHistogram stepsPerTrace = new IntHistogram();
        IntHistogram tokensPerStep = new IntHistogram();
        IntHistogram tokensPerRow = new IntHistogram();
        Map<String, Long> flags = new TreeMap<>();
        Map<String, String> metadata;
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            metadata = reader.metadata();
            while (reader.loadNextBatch()) {
                for (int i = 0; i < reader.batch().getRowCount(); i++) {
                    StepRow row = reader.row(i);
                    rows++;
                    positions += row.scorePositions().length;
                    stepsPerTrace.add(row.scorePositions().length);
                    tokensPerRow.add(row.inputIds().length);
                    for (int k = 1; k < row.scorePositions().length; k++) {
                        tokensPerStep.add(row.scorePositions()[k] - row.scorePositions()[k - 1]);
                    }
                    for (float label : row.stepLabels()) {
                        if (StepLabels.isIgnored(label)) {
                            ignored++;
                        } else if (label == 1f) {
                            positive++;
                        } else if (label == 0f) {
                            negative++;
                        } else {
                            soft++;
                        }
                    }
                    for (String flag : row.flags()) {
                        flags.merge(flag, 1L, Long::sum);
                    }
                }
            }
        }

        ObjectNode json = importCounts(metadata, mapper, rows, positions);
        json.put("rows", rows);
        ObjectNode balance = json.putObject("label_balance");
        balance.put("positive", positive);
        balance.put("negative", negative);
        balance.put("soft", soft);
        balance.put("ignored", ignored);
        json.set("steps_per_trace", stepsPerTrace.toJson(mapper));
        json.set("tokens_per_step", tokensPerStep.toJson(mapper));
        json.set("tokens_per_row", tokensPerRow.toJson(mapper));
        ObjectNode flagJson = json.putObject("flags");
        flags.forEach(flagJson::put);
        return json;
    }

    private static ObjectNode importCounts(Map<String, String> metadata, ObjectMapper mapper, long rows, long positions)
            throws IOException {
        String stored = metadata.get(StepDatasetSchema.META_STATS);
        if (stored != null) {
            JsonNode parsed = mapper.readTree(stored);
            return ImportStats.fromJson(parsed).toJson(mapper);
        }
        ObjectNode json = mapper.createObjectNode();
        json.put("values_read", rows);
        json.put("records_read", rows);
        json.put("records_kept", rows);
        json.putObject("rejected");
        json.putObject("flagged");
        json.put("steps", positions);
        json.put("score_positions", positions);
        return json;
    }

    /** Collects int values and reports count, min, mean, median, p90 and max. */
    private static final class IntHistogram {
        private int[] values = new int[1024];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode json = mapper.createObjectNode();
            json.put("count", size);
            if (size == 0) {
                return json;
            }
            int[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            long sum = 0;
            for (int value : sorted) {
                sum += value;
            }
            json.put("min", sorted[0]);
            json.put("mean", Math.round(100.0 * sum / size) / 100.0);
            json.put("p50", sorted[(size - 1) / 2]);
            json.put("p90", sorted[(int) Math.floor(0.9 * (size - 1))]);
            json.put("max", sorted[size - 1]);
            return json;
        }
    }
}
