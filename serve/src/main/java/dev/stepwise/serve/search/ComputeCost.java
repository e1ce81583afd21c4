package dev.stepwise.serve.search;

/**
 * Compute spent on one problem, counted the same way by every strategy so that runs can be compared
 * at matched compute.
 *
 * @param generatorCalls completion requests sent to the generator
 * @param promptTokens prompt tokens the generator reported, summed over requests
 * @param completionTokens tokens the generator produced, summed over samples
 * @param scoringCalls requests sent to the scoring service (PRM and ORM)
 * @param scoredTokens tokens the scoring service ran through the model
 * @param reusedTokens tokens the scoring service took from its prefix cache instead of running them
 */
public record ComputeCost(
        long generatorCalls,
        long promptTokens,
        long completionTokens,
        long scoringCalls,
        long scoredTokens,
        long reusedTokens) {

    public static final ComputeCost ZERO = new ComputeCost(0, 0, 0, 0, 0, 0);

    public ComputeCost {
        if (generatorCalls < 0 || promptTokens < 0 || completionTokens < 0
                || scoringCalls < 0 || scoredTokens < 0 || reusedTokens < 0) {
            throw new IllegalArgumentException("compute counts must be >= 0, found generatorCalls=" + generatorCalls
                    + " promptTokens=" + promptTokens + " completionTokens=" + completionTokens
                    + " scoringCalls=" + scoringCalls + " scoredTokens=" + scoredTokens
                    + " reusedTokens=" + reusedTokens);
        }
    }

    /**
     * Returns the compute measure that budgets and plots use: generated tokens plus tokens the
     * scoring model ran. Prompt tokens are left out because generators cache shared prompts.
     */
    public long computeTokens() {
        return completionTokens + scoredTokens;
    }

    public ComputeCost plus(ComputeCost other) {
        return new ComputeCost(
                generatorCalls + other.generatorCalls,
                promptTokens + other.promptTokens,
                completionTokens + other.completionTokens,
                scoringCalls + other.scoringCalls,
                scoredTokens + other.scoredTokens,
                reusedTokens + other.reusedTokens);
    }
}
