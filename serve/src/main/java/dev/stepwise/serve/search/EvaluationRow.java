package dev.stepwise.serve.search;

/**
 * Accuracy and average compute of one strategy on one problem set.
 *
 * @param strategy the strategy's name
 * @param problems problems run
 * @param correct problems whose final answer was graded equal to the reference
 * @param accuracy {@code correct / problems}
 * @param averageComputeTokens average {@link ComputeCost#computeTokens()} per problem
 * @param averageCompletionTokens average generated tokens per problem
 * @param averageScoredTokens average tokens the scoring model ran per problem
 * @param averageScoringCalls average scoring requests per problem
 */
public record EvaluationRow(
        String strategy,
        int problems,
        int correct,
        double accuracy,
        double averageComputeTokens,
        double averageCompletionTokens,
        double averageScoredTokens,
        double averageScoringCalls) {}
