package dev.stepwise.serve.search;

import java.util.List;

/**
 * A process reward model behind the scoring service: one stepScore in [0, 1] per step.
 *
 * <p>Each method call is one scoring request and is counted as one scoring call.
 */
public interface StepScorer {

    /**
     * Scores every step of each trace from scratch.
     *
     * @return one list of stepScores per trace, each as long as that trace's steps
     */
    Scores scoreSteps(List<Trace> traces);

    /**
     * Scores every step of each trace like {@link #scoreSteps}, but the service takes the tokens of
     * steps it scored in an earlier call from its prefix cache, so extending a trace by one step runs
     * only that step's tokens. {@link Scores#reusedTokens()} reports how many tokens were reused.
     *
     * @return one list of stepScores per trace, each as long as that trace's steps
     */
    Scores scoreIncrementally(List<Trace> traces);

    /**
     * Returns the scorer for one search run. Its incremental calls reuse only the prefix-cache entries of
     * earlier calls of the same run, so the scored tokens a run reports do not depend on the runs before
     * it on the same service. Each search calls this once per problem. The default returns this scorer,
     * which shares one cache across runs.
     */
    default StepScorer forRun() {
        return this;
    }

    /**
     * Scores of one request.
     *
     * @param stepScores per trace, the scores in step order
     * @param scoredTokens tokens the model ran for this request
     * @param reusedTokens tokens taken from the prefix cache instead
     */
    record Scores(List<List<Double>> stepScores, long scoredTokens, long reusedTokens) {

        public Scores {
            stepScores = stepScores.stream().map(List::copyOf).toList();
        }
    }
}
