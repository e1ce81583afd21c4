package dev.stepwise.serve.internal;

/**
 * Token ids of one item and the positions whose hidden states are scored.
 *
 * @param inputIds token ids of the whole input, at least one
 * @param scorePositions ascending indexes into {@code inputIds}: one per scored step for a PRM, the last token for
 *     an ORM, one per step tag for the token-classification route
 * @param stepCount steps in the request item (for raw-text routes, the number of score positions)
 * @param truncated whether later steps were dropped so that the input fits the token limit
 */
public record ScoringInput(long[] inputIds, int[] scorePositions, int stepCount, boolean truncated) {

    public ScoringInput {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("inputIds must hold at least one token");
        }
        for (int i = 0; i < scorePositions.length; i++) {
            int position = scorePositions[i];
            if (position < 0 || position >= inputIds.length || (i > 0 && position <= scorePositions[i - 1])) {
                throw new IllegalArgumentException("scorePositions must be ascending indexes below " + inputIds.length
                        + ", found " + java.util.Arrays.toString(scorePositions));
            }
        }
    }

    /** Number of tokens. */
    public int length() {
        return inputIds.length;
    }
}
