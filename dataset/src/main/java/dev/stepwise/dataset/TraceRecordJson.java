package dev.stepwise.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.TreeSet;

/**
 * Writes a {@link TraceRecord} as one JSON object in the generic layout, which
 * {@link TraceFormat#GENERIC} reads back to an equal record: {@code id}, {@code source},
 * {@code problem}, {@code steps}, {@code labels} (ignored steps as -100), {@code final_answer},
 * {@code reference_answer}, {@code outcome_label} and {@code flags}.
 */
public final class TraceRecordJson {

    private TraceRecordJson() {
    }

    public static ObjectNode toJson(TraceRecord record, ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("id", record.id());
        json.put("source", record.source());
        json.put("problem", record.problem());
        ArrayNode steps = json.putArray("steps");
        record.steps().forEach(steps::add);
        ArrayNode labels = json.putArray("labels");
        for (float label : record.stepLabels()) {
            if (label == Math.rint(label)) {
                labels.add((int) label);
            } else {
                labels.add(label);
            }
        }
        json.put("final_answer", record.finalAnswer());
        json.put("reference_answer", record.referenceAnswer());
        if (record.outcomeLabel() == null) {
            json.putNull("outcome_label");
        } else {
            json.put("outcome_label", record.outcomeLabel());
        }
        ArrayNode flags = json.putArray("flags");
        new TreeSet<>(record.flags()).forEach(flags::add);
        return json;
    }
}
