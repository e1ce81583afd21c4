package dev.stepwise.serve.internal;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict JSON reading of request bodies: duplicate keys, trailing content and NaN or Infinity literals are invalid
 * JSON (400); a missing field, a wrong type or an unknown field is an invalid request (422) whose message names the
 * field's path, such as {@code items[2].steps[0]}.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {}

    /** Parses a request body. @throws ApiException {@link ErrorType#INVALID_JSON} naming the position */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(ErrorType.INVALID_JSON, "the request body is empty; expected a JSON object");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorType.INVALID_JSON, invalidJsonMessage(e), e);
        } catch (IOException e) {
            throw new ApiException(ErrorType.INVALID_JSON, "the request body could not be read: "
                    + withoutParserInternals(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * Returns a client-facing message for a body that Jackson rejected: what is invalid and where, such as
     * "invalid JSON at line 1, column 17: unexpected character 'x'". Jackson's own messages name its parser features
     * and source descriptions, which are server settings, so they are rewritten here.
     */
    static String invalidJsonMessage(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        JsonLocation location = e.getLocation();
        int line = location == null ? -1 : location.getLineNr();
        int column = location == null ? -1 : location.getColumnNr();

        String nonFinite = quotedAfter(original, "Non-standard token '");
        if (nonFinite != null) {
            // Jackson reports the column after the token; the start of the token is easier to find.
            int start = column > nonFinite.length() ? column - nonFinite.length() : column;
            return "non-finite number " + nonFinite + at(line, start) + "; JSON allows only finite numbers";
        }
        return "invalid JSON" + at(line, column) + ": " + describeSyntaxError(e, original);
    }

    /** Returns the message of a body handler or parser failure without parser internals, for a 400 response. */
    static String describeReadFailure(Throwable failure) {
        if (failure instanceof JsonProcessingException json) {
            return invalidJsonMessage(json);
        }
        return withoutParserInternals(String.valueOf(failure.getMessage()));
    }

    private static String describeSyntaxError(JsonProcessingException e, String original) {
        if (e instanceof JsonEOFException) {
            if (original.contains("close marker for Object")) {
                return "the body ends before an object is closed with '}'";
            }
            if (original.contains("close marker for Array")) {
                return "the body ends before an array is closed with ']'";
            }
            if (original.contains("VALUE_STRING") || original.contains("FIELD_NAME")) {
                return "the body ends inside a string";
            }
            return "the body ends before the JSON value is complete";
        }
        if (original.startsWith("Trailing token")) {
            return "unexpected content after the JSON value; send exactly one JSON object";
        }
        String duplicate = quotedAfter(original, "Duplicate field '");
        if (duplicate != null) {
            return "duplicate field '" + duplicate + "'";
        }
        String token = quotedAfter(original, "Unrecognized token '");
        if (token != null) {
            return "unrecognized token '" + token + "'; expected a JSON value (a string, number, array, object, true,"
                    + " false or null)";
        }
        if (original.startsWith("Unexpected character ('") && original.indexOf("' (code ") > 23) {
            String character = original.substring("Unexpected character ('".length(), original.indexOf("' (code "));
            int reason = original.indexOf("): ");
            String expected = reason >= 0 ? "; " + withoutParserInternals(original.substring(reason + 3)) : "";
            return "unexpected character '" + character + "'" + expected;
        }
        if (original.startsWith("Illegal unquoted character ((CTRL-CHAR, code ")) {
            String code = original.substring("Illegal unquoted character ((CTRL-CHAR, code ".length(),
                    original.indexOf(')', "Illegal unquoted character ((CTRL-CHAR, code ".length()));
            return "unescaped control character (code " + code + ") inside a string; escape it, such as \\n for a"
                    + " newline";
        }
        return lowerFirst(withoutParserInternals(original));
    }

    /**
     * Cuts a Jackson message at the first mention of its source description ("[Source: …") or of a feature name in
     * backquotes, and drops the separator left before the cut.
     */
    private static String withoutParserInternals(String message) {
        int cut = message.length();
        for (String marker : new String[] {"[Source", "`"}) {
            int index = message.indexOf(marker);
            if (index >= 0) {
                cut = Math.min(cut, index);
            }
        }
        String kept = message.substring(0, cut);
        if (cut < message.length()) {
            int clause = Math.max(kept.lastIndexOf(": "), kept.lastIndexOf(" ("));
            if (clause > 0) {
                kept = kept.substring(0, clause);
            }
        }
        return kept.strip();
    }

    /** Returns the text between {@code prefix} at the start of {@code message} and the next single quote, or null. */
    private static String quotedAfter(String message, String prefix) {
        if (!message.startsWith(prefix)) {
            return null;
        }
        int end = message.indexOf('\'', prefix.length());
        return end < 0 ? null : message.substring(prefix.length(), end);
    }

    private static String at(int line, int column) {
        return line > 0 && column > 0 ? " at line " + line + ", column " + column : "";
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    /** Serializes a response. */
    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a response body, this is a bug", e);
        }
    }

    public static ObjectNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path, "a JSON object", node);
        }
        return (ObjectNode) node;
    }

    /** Rejects fields other than {@code known}, so that a misspelled option is never ignored. */
    public static void rejectUnknownFields(ObjectNode node, Set<String> known, String path) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ApiException(ErrorType.INVALID_REQUEST, "unknown field '" + name + "' in " + path
                        + "; expected fields: " + new java.util.TreeSet<>(known));
            }
        }
    }

    public static String requiredString(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(path + "." + field, "a string", value);
        }
        return value.textValue();
    }

    /** Returns the string at {@code field}, or null when the field is absent or null. */
    public static String optionalString(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(path + "." + field, "a string", value);
        }
        return value.textValue();
    }

    public static boolean optionalBoolean(ObjectNode node, String field, boolean fallback, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid(path + "." + field, "true or false", value);
        }
        return value.booleanValue();
    }

    public static ArrayNode requiredArray(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw invalid(path + "." + field, "an array", value);
        }
        return (ArrayNode) value;
    }

    /** Returns an {@link ErrorType#INVALID_REQUEST} error: expected {@code expected} at {@code path}, found {@code found}. */
    public static ApiException invalid(String path, String expected, JsonNode found) {
        return new ApiException(ErrorType.INVALID_REQUEST,
                "expected " + expected + " at " + path + ", found " + describe(found));
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "nothing (the field is missing)";
        }
        String text = node.toString();
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
    }
}
