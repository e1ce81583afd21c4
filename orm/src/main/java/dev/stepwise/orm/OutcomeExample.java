package dev.stepwise.orm;

/**
 * One pointwise ORM training row.
 *
 * @param inputIds token ids of problem and answer; the head reads the last one
 * @param outcomeLabel 1 when the final answer is correct, 0 when wrong, or a soft value in between
 */
public record OutcomeExample(long[] inputIds, float outcomeLabel) {
    public OutcomeExample {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("an outcome example needs at least one token, found none");
        }
        if (!(outcomeLabel >= 0f && outcomeLabel <= 1f)) {
            throw new IllegalArgumentException("outcomeLabel must be in [0, 1], found " + outcomeLabel);
        }
    }
}
