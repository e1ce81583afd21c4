package dev.stepwise.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.internal.JsonSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads preference pairs: objects with {@code prompt}, {@code chosen} and {@code rejected}, or the
 * Anthropic HH form with only {@code chosen} and {@code rejected}, two whole dialogues that share
 * a prefix.
 *
 * <p>In the HH form the prompt is the shared prefix cut back to the end of its last
 * {@code "\n\nAssistant:"} marker, so both responses start after that marker. Pairs whose two
 * texts are equal, or that share no prefix ending in the marker, are rejected with a reason.
 */
public final class PreferencePairs {

    /** Start of an assistant turn in the HH dialogue layout. */
    public static final String ASSISTANT_MARKER = "\n\nAssistant:";

    private PreferencePairs() {
    }

    /**
     * Maps one JSON object.
     *
     * @throws RejectedRecordException with reason {@code missing_field}, {@code identical_pair} or
     *                                 {@code no_shared_prompt}
     */
    public static PreferencePair map(JsonNode value, String id, String source) {
        String chosen = text(value, "chosen", id);
        String rejected = text(value, "rejected", id);
        if (chosen.equals(rejected)) {
            throw new RejectedRecordException(id, "identical_pair", "chosen and rejected are the same text");
        }
        if (value.path("prompt").isTextual()) {
            return new PreferencePair(id, source, value.path("prompt").asText(), chosen, rejected);
        }
        int shared = 0;
        int limit = Math.min(chosen.length(), rejected.length());
        while (shared < limit && chosen.charAt(shared) == rejected.charAt(shared)) {
            shared++;
        }
        int marker = chosen.lastIndexOf(ASSISTANT_MARKER, shared - ASSISTANT_MARKER.length());
        if (marker < 0) {
            throw new RejectedRecordException(id, "no_shared_prompt", "chosen and rejected share no prefix that ends in '"
                    + ASSISTANT_MARKER.strip() + "'");
        }
        int promptEnd = marker + ASSISTANT_MARKER.length();
        return new PreferencePair(id, source, chosen.substring(0, promptEnd), chosen.substring(promptEnd),
                rejected.substring(promptEnd));
    }

    private static String text(JsonNode value, String field, String id) {
        JsonNode node = value.path(field);
        if (!node.isTextual()) {
            throw new RejectedRecordException(id, "missing_field", "expected a string field " + field + "; found "
                    + node.getNodeType());
        }
        return node.asText();
    }

    /** Reads every pair of {@code file} (JSON Lines, JSON array, {@code .gz} allowed), counting rejections. */
    public static void read(Path file, String source, Consumer<PreferencePair> sink, ImportStats stats) throws IOException {
        String fileName = file.getFileName().toString();
        JsonSource.read(file, new JsonSource.Visitor() {
            @Override
            public void value(long number, JsonNode value) {
                stats.recordRead();
                String fallbackId = fileName + ":" + number;
                String id = value.path("id").isTextual() ? value.path("id").asText() : fallbackId;
                try {
                    sink.accept(map(value, id, source));
                } catch (RejectedRecordException e) {
                    stats.recordRejected(e);
                }
            }

            @Override
            public void invalid(long line, String message) {
                stats.recordRead();
                stats.recordRejected(new RejectedRecordException(fileName + ":" + line, "invalid_json", message));
            }
        });
    }

    /**
     * Tokenizes both sides with {@link StepSegmenter#segmentAnswer}, so each side's score position
     * is its last token.
     *
     * @throws RejectedRecordException with reason {@code answer_too_long} when a side does not fit
     *                                 in the segmenter's token limit
     */
    public static dev.stepwise.dataset.arrow.PairRow toRow(PreferencePair pair, StepSegmenter segmenter) {
        StepSegmenter.Segment chosen = segmenter.segmentAnswer(pair.prompt(), pair.chosen());
        StepSegmenter.Segment rejected = segmenter.segmentAnswer(pair.prompt(), pair.rejected());
        if (chosen.keptSteps() == 0 || rejected.keptSteps() == 0) {
            throw new RejectedRecordException(pair.id(), "answer_too_long", "prompt plus "
                    + (chosen.keptSteps() == 0 ? "chosen" : "rejected") + " response exceeds " + segmenter.maxTokens()
                    + " tokens");
        }
        return new dev.stepwise.dataset.arrow.PairRow(pair.id(), pair.source(), pair.prompt(), pair.chosen(),
                pair.rejected(), chosen.inputIds(), rejected.inputIds());
    }
}
