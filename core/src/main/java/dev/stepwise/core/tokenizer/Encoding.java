package dev.stepwise.core.tokenizer;

import java.util.Arrays;

/**
 * Token ids of one text with the character span of each token.
 *
 * <p>{@code charStart[i]} and {@code charEnd[i]} are UTF-16 indexes into the encoded Java
 * {@code String} (the same units as {@link String#substring(int, int)}), end exclusive. A token
 * with no span in the text has {@code -1} in both arrays. The three arrays have the same length.
 */
public record Encoding(long[] ids, int[] charStart, int[] charEnd) {

    public Encoding {
        if (ids.length != charStart.length || ids.length != charEnd.length) {
            throw new IllegalArgumentException("ids, charStart and charEnd must have one entry per token; found lengths "
                    + ids.length + ", " + charStart.length + ", " + charEnd.length);
        }
    }

    /** Number of tokens. */
    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding that
                && Arrays.equals(ids, that.ids)
                && Arrays.equals(charStart, that.charStart)
                && Arrays.equals(charEnd, that.charEnd);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(charStart)) + Arrays.hashCode(charEnd);
    }

    @Override
    public String toString() {
        return "Encoding[ids=" + Arrays.toString(ids) + ", charStart=" + Arrays.toString(charStart)
                + ", charEnd=" + Arrays.toString(charEnd) + "]";
    }
}
