package dev.stepwise.serve.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.serve.search.BeamConfig.ScoringMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Beam and lookahead search on a tree where the most promising first step (0.9) leads only to wrong
 * answers (0.3, 0.2) and the weaker one (0.6) leads to the right answer (0.95).
 */
class BeamSearchTest {

    private static final String PROBLEM = "Find x.";
    private static final String TEMPTING = "{0.9} Try the obvious route.";
    private static final String WRONG = "{0.3} The answer is 3.";
    private static final String WORSE = "{0.2} The answer is 2.";
    private static final String CAREFUL = "{0.6} Set up the equation.";
    private static final String RIGHT = "{0.95} The answer is 4.";

    private static StepTreeScript script() {
        return new StepTreeScript().problem(PROBLEM,
                List.of(TEMPTING, WRONG), List.of(CAREFUL, RIGHT), List.of(TEMPTING, WORSE));
    }

    private static SearchResult run(SearchServers servers, BeamConfig config) {
        return SearchStrategies.beam(servers.context, config).search(new Problem("x", PROBLEM, "4"));
    }

    @Test
    void beamFollowsBestFirstStep() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult result = run(servers, BeamConfig.beam(1, 2, 5));

            assertEquals(List.of(TEMPTING, WRONG), result.steps());
            assertEquals("3", result.finalAnswer());
            assertEquals(List.of(0.9, 0.3), rounded(result.stepScores()));
            // Round 0: one request for 2 first steps (prompt 2 words, 5 + 5 generated), both scored from
            // scratch (2 + 5 + 1 tokens each). Round 1: one request (prompt 7 words, 5 + 5 generated), and
            // only the new step and its separator are run (6 tokens each) while the 8-token prefix is reused.
            ComputeCost cost = result.cost();
            assertEquals(2, cost.generatorCalls());
            assertEquals(9, cost.promptTokens());
            assertEquals(20, cost.completionTokens());
            assertEquals(2, cost.scoringCalls());
            assertEquals(28, cost.scoredTokens());
            assertEquals(16, cost.reusedTokens());
        }
    }

    @Test
    void incrementalScoresFewerTokens() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult full = run(servers, BeamConfig.beam(1, 2, 5).withScoring(ScoringMode.FULL_PREFIX));
            SearchResult incremental = run(servers, BeamConfig.beam(1, 2, 5));

            assertEquals(full.steps(), incremental.steps());
            assertEquals(full.stepScores(), incremental.stepScores());
            // Full-prefix rescoring runs round 1's prefixes again: 8 + 8 + 14 + 14 tokens.
            assertEquals(44, full.cost().scoredTokens());
            assertEquals(0, full.cost().reusedTokens());
            assertEquals(28, incremental.cost().scoredTokens());
            assertTrue(incremental.cost().scoredTokens() < full.cost().scoredTokens());
        }
    }

    @Test
    void repeatedRunReportsSameScoredTokens() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult first = run(servers, BeamConfig.beam(1, 2, 5));
            SearchResult second = run(servers, BeamConfig.beam(1, 2, 5));

            // Each run scores in a prefix cache namespace of its own, so the second run cannot reuse the
            // prefixes the first run left in the service's cache.
            assertEquals(first.steps(), second.steps());
            assertEquals(28, first.cost().scoredTokens());
            assertEquals(first.cost().scoredTokens(), second.cost().scoredTokens());
            assertEquals(first.cost().reusedTokens(), second.cost().reusedTokens());
        }
    }

    @Test
    void lookaheadSeesPastTemptingStep() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult result = run(servers, BeamConfig.lookahead(1, 2, 5, 1));

            assertEquals(List.of(CAREFUL, RIGHT), result.steps());
            assertEquals("4", result.finalAnswer());
            assertEquals(List.of(0.6, 0.95), rounded(result.stepScores()));
            // Generator: round 0 sample (prompt 2, 10 generated), two greedy rollouts (prompt 7, 5 generated
            // each), round 1 sample (prompt 7, 10 generated). Scoring: round 0's new steps (8 + 8), the
            // rollout ends past the cached candidates (6 + 6), and round 1's steps, already cached by the
            // rollout (0 run, 14 + 14 reused).
            ComputeCost cost = result.cost();
            assertEquals(4, cost.generatorCalls());
            assertEquals(23, cost.promptTokens());
            assertEquals(30, cost.completionTokens());
            assertEquals(3, cost.scoringCalls());
            assertEquals(28, cost.scoredTokens());
            assertEquals(44, cost.reusedTokens());
        }
    }

    @Test
    void stepBudgetEndsWithoutAnswer() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult result = run(servers, BeamConfig.beam(1, 2, 1));

            assertEquals(List.of(TEMPTING), result.steps());
            assertFalse(result.hasFinalAnswer());
            assertEquals(1, result.cost().generatorCalls());
        }
    }

    @Test
    void widerBeamKeepsBothBranches() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult result = run(servers, BeamConfig.beam(2, 1, 5));

            // Round 0 samples width * expansions = 2 first steps and keeps both; round 1 finishes each
            // with its first child, and the finished solution with the higher last stepScore wins.
            assertEquals(List.of(CAREFUL, RIGHT), result.steps());
            assertEquals(3, result.cost().generatorCalls());
        }
    }

    @Test
    void diverseTreeKeepsEachSubtree() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchResult result = SearchStrategies.create(new StrategySpec.DiverseTree(BeamConfig.beam(2, 2, 5)),
                    servers.context).search(new Problem("x", PROBLEM, "4"));

            // Subtree 0 grows from the tempting step and can only end at 3 or 2; subtree 1 grows from the
            // careful step and ends at 4, which wins on the last stepScore.
            assertEquals(List.of(CAREFUL, RIGHT), result.steps());
            assertEquals("4", result.finalAnswer());
            // One request for the 2 roots, then one per subtree; one PRM request per round.
            assertEquals(3, result.cost().generatorCalls());
            assertEquals(2, result.cost().scoringCalls());
        }
    }

    private static List<Double> rounded(List<Double> scores) {
        return scores.stream().map(s -> Math.round(s * 1e4) / 1e4).toList();
    }
}
