package dev.stepwise.dataset.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepLabels;

import java.util.ArrayList;
import java.util.List;

/** Field access shared by the readers, rejecting records with a reason when a field is missing or malformed. */
final class Fields {

    private Fields() {
    }

    /** Text of the first of {@code names} that is a JSON string, or null. */
    static String optionalText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
            if (value != null && value.isNumber()) {
                return value.asText();
            }
        }
        return null;
    }

    static String requiredText(JsonNode node, String id, String... names) {
        String text = optionalText(node, names);
        if (text == null) {
            throw new RejectedRecordException(id, "missing_field", "expected a string field "
                    + String.join(" or ", names) + "; found " + describeFirst(node, names));
        }
        return text;
    }

    static List<String> requiredStrings(JsonNode node, String id, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isArray()) {
                List<String> strings = new ArrayList<>(value.size());
                for (int i = 0; i < value.size(); i++) {
                    if (!value.get(i).isTextual()) {
                        throw new RejectedRecordException(id, "invalid_step", "expected " + name + "[" + i
                                + "] to be a string; found " + describe(value.get(i)));
                    }
                    strings.add(value.get(i).asText());
                }
                return strings;
            }
        }
        throw new RejectedRecordException(id, "missing_field", "expected a list field "
                + String.join(" or ", names) + "; found " + describeFirst(node, names));
    }

    /** Describes a JSON value for a rejection message: its type and its text, cut at 60 characters. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "none";
        }
        if (value.isNull()) {
            return "null";
        }
        String text = value.toString();
        if (text.length() > 60) {
            text = text.substring(0, 60) + "…";
        }
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }

    /** Describes the first of {@code names} that is present, or returns "none". */
    private static String describeFirst(JsonNode node, String... names) {
        for (String name : names) {
            if (node.has(name)) {
                return name + " = " + describe(node.get(name));
            }
        }
        return "none";
    }

    /**
     * Reads a label: true/false, a number in [0, 1], or -100 / null for ignore.
     *
     * @throws RejectedRecordException with reason {@code label_out_of_range} naming the step
     */
    static float label(JsonNode value, String id, int step) {
        if (value == null || value.isNull()) {
            return StepLabels.IGNORE;
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? 1f : 0f;
        }
        if (value.isNumber()) {
            float label = (float) value.asDouble();
            if (label == StepLabels.IGNORE || (label >= 0f && label <= 1f)) {
                return label;
            }
        }
        throw new RejectedRecordException(id, "label_out_of_range", "label of step " + step
                + " must be true/false, a number in [0, 1], -100 or null; found " + value);
    }

    /** Reads an optional outcome: true/false or a number in [0, 1]; null when absent. */
    static Float outcome(JsonNode node, String id, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isBoolean()) {
                return value.asBoolean() ? 1f : 0f;
            }
            if (value.isNumber() && value.asDouble() >= 0 && value.asDouble() <= 1) {
                return (float) value.asDouble();
            }
            throw new RejectedRecordException(id, "label_out_of_range", name
                    + " must be true/false or a number in [0, 1]; found " + value);
        }
        return null;
    }
}
