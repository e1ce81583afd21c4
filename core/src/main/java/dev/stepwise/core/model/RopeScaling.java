package dev.stepwise.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The {@code rope_scaling} entry of {@code config.json}: how rotary frequencies are stretched for longer contexts.
 *
 * @param type {@code DEFAULT} (no scaling), {@code LINEAR} (every frequency divided by {@code factor}) or
 *     {@code LLAMA3} (low frequencies divided by {@code factor}, high ones kept, a smooth blend between)
 * @param factor context stretch, ≥ 1; 1 for {@code DEFAULT}
 * @param lowFreqFactor Llama 3 only: wavelengths above {@code originalMaxPositionEmbeddings / lowFreqFactor} are
 *     divided by {@code factor}
 * @param highFreqFactor Llama 3 only: wavelengths below {@code originalMaxPositionEmbeddings / highFreqFactor} are
 *     kept
 * @param originalMaxPositionEmbeddings Llama 3 only: the context length the model was pretrained with, in tokens
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositionEmbeddings) {

    /** No scaling. */
    public static final RopeScaling NONE = new RopeScaling(Type.DEFAULT, 1, 0, 0, 0);

    /** The {@code rope_type} values stepwise implements. */
    public enum Type {
        DEFAULT,
        LINEAR,
        LLAMA3
    }

    public RopeScaling {
        Objects.requireNonNull(type, "type");
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("rope_scaling factor must be >= 1, found " + factor);
        }
        if (type == Type.LLAMA3) {
            if (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)) {
                throw new IllegalArgumentException("llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor, found "
                        + lowFreqFactor + " and " + highFreqFactor);
            }
            if (originalMaxPositionEmbeddings <= 0) {
                throw new IllegalArgumentException("llama3 rope_scaling needs original_max_position_embeddings > 0, found "
                        + originalMaxPositionEmbeddings);
            }
        }
    }

    /** Returns the {@code rope_scaling} JSON object, or null for {@link Type#DEFAULT}. */
    ObjectNode toJson(ObjectMapper json) {
        if (type == Type.DEFAULT) {
            return null;
        }
        ObjectNode node = json.createObjectNode();
        node.put("rope_type", type.name().toLowerCase(java.util.Locale.ROOT));
        node.put("factor", factor);
        if (type == Type.LLAMA3) {
            node.put("low_freq_factor", lowFreqFactor);
            node.put("high_freq_factor", highFreqFactor);
            node.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
        }
        return node;
    }
}
