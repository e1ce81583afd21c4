package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.client.OrmItem;
import dev.stepwise.serve.client.OrmResult;
import dev.stepwise.serve.client.PrmItem;
import dev.stepwise.serve.client.PrmResult;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.search.AnswerScorer;
import dev.stepwise.serve.search.StepScorer;
import dev.stepwise.serve.search.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@link StepScorer} and {@link AnswerScorer} over {@link ScoringClient}. The ORM receives the
 * steps joined with the step separator as the answer text.
 */
public final class ScoringClientAdapter implements StepScorer, AnswerScorer {

    private final ScoringClient client;
    private final String stepSeparator;
    /** Prefix-cache namespace of incremental requests, or null for the service's default namespace. */
    private final String cacheNamespace;

    public ScoringClientAdapter(ScoringClient client, String stepSeparator) {
        this(client, stepSeparator, null);
    }

    private ScoringClientAdapter(ScoringClient client, String stepSeparator, String cacheNamespace) {
        this.client = client;
        this.stepSeparator = stepSeparator;
        this.cacheNamespace = cacheNamespace;
    }

    /** Returns an adapter over the same client whose incremental requests use a new random cache namespace. */
    @Override
    public StepScorer forRun() {
        return new ScoringClientAdapter(client, stepSeparator, "search-run-" + UUID.randomUUID());
    }

    @Override
    public StepScorer.Scores scoreSteps(List<Trace> traces) {
        return toScores(client.scorePrm(items(traces)));
    }

    @Override
    public StepScorer.Scores scoreIncrementally(List<Trace> traces) {
        return toScores(client.scorePrmIncremental(items(traces), cacheNamespace));
    }

    @Override
    public AnswerScorer.Scores scoreAnswers(List<Trace> traces) {
        List<OrmItem> items = traces.stream()
                .map(t -> new OrmItem(t.problem(), String.join(stepSeparator, t.steps())))
                .toList();
        List<OrmResult> results = client.scoreOrm(items);
        long tokens = 0;
        List<Double> outcomeScores = new ArrayList<>(results.size());
        for (OrmResult result : results) {
            outcomeScores.add((double) result.score());
            tokens += result.computedTokens();
        }
        return new AnswerScorer.Scores(outcomeScores, tokens);
    }

    private static List<PrmItem> items(List<Trace> traces) {
        return traces.stream().map(t -> new PrmItem(t.problem(), t.steps())).toList();
    }

    private static StepScorer.Scores toScores(List<PrmResult> results) {
        List<List<Double>> stepScores = new ArrayList<>(results.size());
        long scored = 0;
        long reused = 0;
        for (PrmResult result : results) {
            List<Double> scores = new ArrayList<>(result.stepScores().length);
            for (float score : result.stepScores()) {
                scores.add((double) score);
            }
            stepScores.add(scores);
            scored += result.computedTokens();
            reused += result.reusedTokens();
        }
        return new StepScorer.Scores(stepScores, scored, reused);
    }
}
