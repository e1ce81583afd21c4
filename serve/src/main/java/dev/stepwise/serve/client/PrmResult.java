package dev.stepwise.serve.client;

import java.util.Arrays;

/**
 * Step scores of one {@link PrmItem}.
 *
 * <p>{@code stepScores} contains the scores of the first {@code stepScores.length} steps, each in [0, 1]. Without
 * truncation that is every step. With truncation the remaining steps did not fit in the model's input and were not
 * scored, and {@code truncated} is true.
 *
 * @param stepScores float32 scores of the scored steps, in step order
 * @param stepCount number of steps in the request item
 * @param min lowest step score
 * @param last score of the last scored step
 * @param product product of the step scores
 * @param firstErrorStep index of the first step scored under the model's threshold, -1 if none
 * @param truncated whether later steps were left unscored
 * @param computedTokens tokens the model ran for this item
 * @param reusedTokens tokens taken from the server's prefix cache instead of being computed
 */
public record PrmResult(
        float[] stepScores,
        int stepCount,
        float min,
        float last,
        float product,
        int firstErrorStep,
        boolean truncated,
        int computedTokens,
        int reusedTokens) {

    /** Number of steps that have a score. */
    public int scoredSteps() {
        return stepScores.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrmResult that
                && Arrays.equals(stepScores, that.stepScores)
                && stepCount == that.stepCount
                && Float.compare(min, that.min) == 0
                && Float.compare(last, that.last) == 0
                && Float.compare(product, that.product) == 0
                && firstErrorStep == that.firstErrorStep
                && truncated == that.truncated
                && computedTokens == that.computedTokens
                && reusedTokens == that.reusedTokens;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(stepScores) + Integer.hashCode(stepCount);
    }

    @Override
    public String toString() {
        return "PrmResult[stepScores=" + Arrays.toString(stepScores) + ", stepCount=" + stepCount + ", min=" + min
                + ", last=" + last + ", product=" + product + ", firstErrorStep=" + firstErrorStep + ", truncated="
                + truncated + ", computedTokens=" + computedTokens + ", reusedTokens=" + reusedTokens + "]";
    }
}
