package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.AnswerScorer;
import dev.stepwise.serve.search.ComputeCost;
import dev.stepwise.serve.search.StepGenerator;
import dev.stepwise.serve.search.StepScorer;
import java.util.List;

/** Running compute count of one search. Not thread-safe. */
public final class ComputeMeter {

    private long generatorCalls;
    private long promptTokens;
    private long completionTokens;
    private long scoringCalls;
    private long scoredTokens;
    private long reusedTokens;

    public void addGeneration(List<StepGenerator.Sample> samples) {
        generatorCalls++;
        for (StepGenerator.Sample sample : samples) {
            promptTokens += sample.promptTokens();
            completionTokens += sample.completionTokens();
        }
    }

    public void addStepScoring(StepScorer.Scores scores) {
        scoringCalls++;
        scoredTokens += scores.scoredTokens();
        reusedTokens += scores.reusedTokens();
    }

    public void addAnswerScoring(AnswerScorer.Scores scores) {
        scoringCalls++;
        scoredTokens += scores.scoredTokens();
    }

    public ComputeCost snapshot() {
        return new ComputeCost(generatorCalls, promptTokens, completionTokens, scoringCalls, scoredTokens, reusedTokens);
    }
}
