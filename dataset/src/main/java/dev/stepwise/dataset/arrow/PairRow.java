package dev.stepwise.dataset.arrow;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of a preference-pair dataset. The score position of each side is its last token.
 *
 * @param chosenInputIds   ids of prompt + chosen, int64
 * @param rejectedInputIds ids of prompt + rejected, int64
 */
public record PairRow(String id, String source, String prompt, String chosen, String rejected, long[] chosenInputIds,
                      long[] rejectedInputIds) {

    public PairRow {
        Objects.requireNonNull(id, "id");
        if (chosenInputIds.length == 0 || rejectedInputIds.length == 0) {
            throw new IllegalArgumentException("Pair " + id + " has an empty side: chosen " + chosenInputIds.length
                    + " tokens, rejected " + rejectedInputIds.length + " tokens");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PairRow that && id.equals(that.id) && Objects.equals(source, that.source)
                && Objects.equals(prompt, that.prompt) && Objects.equals(chosen, that.chosen)
                && Objects.equals(rejected, that.rejected) && Arrays.equals(chosenInputIds, that.chosenInputIds)
                && Arrays.equals(rejectedInputIds, that.rejectedInputIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, prompt, Arrays.hashCode(chosenInputIds), Arrays.hashCode(rejectedInputIds));
    }

    @Override
    public String toString() {
        return "PairRow[id=" + id + ", chosen=" + chosenInputIds.length + " tokens, rejected="
                + rejectedInputIds.length + " tokens]";
    }
}
