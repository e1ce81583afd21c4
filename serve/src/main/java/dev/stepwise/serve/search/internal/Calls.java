package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.AnswerScorer;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.StepGenerator;
import dev.stepwise.serve.search.StepScorer;
import dev.stepwise.serve.search.Trace;
import java.util.List;

/**
 * The generator and reward-model calls of one search, each checked for the promised result size
 * and counted on the meter.
 */
final class Calls {

    private final SearchContext context;
    private final StepScorer stepScorer;
    private final ComputeMeter meter = new ComputeMeter();

    /** Starts the calls of one search run, with a step scorer of its own prefix-cache namespace. */
    Calls(SearchContext context) {
        this.context = context;
        this.stepScorer = context.stepScorer().forRun();
    }

    ComputeMeter meter() {
        return meter;
    }

    /** Samples {@code n} next steps of {@code trace}, each stopped at the step separator. */
    List<StepGenerator.Sample> sampleSteps(Trace trace, int n, double temperature, long seed) {
        var settings = context.settings();
        String prompt = SolutionText.prompt(trace.problem(), trace.steps(), settings.stepSeparator());
        var request = new StepGenerator.Request(prompt, n, temperature, settings.maxStepTokens(),
                List.of(settings.stepSeparator()), seed);
        return generate(request);
    }

    /** Samples {@code n} complete solutions of {@code problem}. */
    List<StepGenerator.Sample> sampleSolutions(String problem, int n, double temperature, long seed) {
        var settings = context.settings();
        String prompt = SolutionText.prompt(problem, List.of(), settings.stepSeparator());
        return generate(new StepGenerator.Request(prompt, n, temperature, settings.maxSolutionTokens(), List.of(), seed));
    }

    /** Scores every step of each trace. */
    List<List<Double>> scoreSteps(List<Trace> traces) {
        StepScorer.Scores scores = stepScorer.scoreSteps(traces);
        meter.addStepScoring(scores);
        return checkStepCounts(scores, traces);
    }

    private static List<List<Double>> checkStepCounts(StepScorer.Scores scores, List<Trace> traces) {
        checkCount(scores.stepScores(), traces.size(), "PRM");
        for (int i = 0; i < traces.size(); i++) {
            int expected = traces.get(i).steps().size();
            int found = scores.stepScores().get(i).size();
            if (found != expected) {
                throw new IllegalStateException("the PRM returned " + found + " stepScores for trace " + i
                        + " with " + expected + " steps; the steps may have been truncated to the model's input limit,"
                        + " so lower maxStepTokens or the step budget");
            }
        }
        return scores.stepScores();
    }

    /** Returns the last step's score of each trace, through the prefix cache or by full rescoring. */
    List<Double> scoreLastSteps(List<Trace> traces, boolean incremental) {
        if (!incremental) {
            return scoreSteps(traces).stream().map(scores -> scores.get(scores.size() - 1)).toList();
        }
        StepScorer.Scores scores = stepScorer.scoreIncrementally(traces);
        meter.addStepScoring(scores);
        return checkStepCounts(scores, traces).stream().map(all -> all.get(all.size() - 1)).toList();
    }

    /** Returns the ORM outcomeScore of each trace. */
    List<Double> scoreAnswers(List<Trace> traces) {
        AnswerScorer scorer = context.answerScorer();
        if (scorer == null) {
            throw new IllegalStateException("this strategy needs an ORM, but the search context has no answerScorer;"
                    + " pass an ORM scoring URL or choose a PRM selection");
        }
        AnswerScorer.Scores scores = scorer.scoreAnswers(traces);
        meter.addAnswerScoring(scores);
        return checkCount(scores.outcomeScores(), traces.size(), "ORM");
    }

    private List<StepGenerator.Sample> generate(StepGenerator.Request request) {
        List<StepGenerator.Sample> samples = context.generator().sample(request);
        meter.addGeneration(samples);
        return checkCount(samples, request.n(), "generator");
    }

    private static <T> List<T> checkCount(List<T> results, int expected, String source) {
        if (results.size() != expected) {
            throw new IllegalStateException("the " + source + " returned " + results.size() + " results for "
                    + expected + " inputs");
        }
        return results;
    }
}
