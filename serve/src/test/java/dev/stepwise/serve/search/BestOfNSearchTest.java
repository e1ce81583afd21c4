package dev.stepwise.serve.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.serve.client.PrmItem;
import dev.stepwise.serve.client.PrmResult;
import dev.stepwise.serve.search.BestOfNConfig.Selection;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestOfNSearchTest {

    private static final String SHORT_PROBLEM = "What is 2 + 3?";
    private static final List<String> UNFINISHED = List.of("{0.97} Two plus three.", "{0.97} Keep going.");
    private static final List<String> FINISHED = List.of("{0.97} Start with 2.", "{0.97} Add 3.",
            "{0.97} That makes 5.", "{0.97} Check it.", "{0.97} The answer is 5.");

    private static final String VOTE_PROBLEM = "What is 10 / 2?";
    private static final List<String> FIVE_LOW = List.of("{0.6} Guess. [0.8]", "{0.6} The answer is 5.");
    private static final List<String> SEVEN_HIGH = List.of("{0.9} Compute. [0.3]", "{0.9} The answer is 7.");
    private static final List<String> FIVE_MID = List.of("{0.7} Try. [0.5]", "{0.7} The answer is 5.0.");
    private static final List<String> NO_ANSWER = List.of("{0.99} Think. [0.95]", "{0.99} Still thinking.");

    private static final String TIE_PROBLEM = "Pick a number.";

    private static StepTreeScript script() {
        return new StepTreeScript()
                .problem(SHORT_PROBLEM, UNFINISHED, FINISHED)
                .problem(VOTE_PROBLEM, FIVE_LOW, SEVEN_HIGH, FIVE_MID, NO_ANSWER)
                .problem(TIE_PROBLEM, List.of("{0.8} The answer is 1."), List.of("{0.8} The answer is 2."));
    }

    @Test
    void productPrefersFinishedSolution() {
        try (SearchServers servers = new SearchServers(script())) {
            List<PrmResult> direct = servers.prm.scorePrm(
                    List.of(new PrmItem(SHORT_PROBLEM, UNFINISHED), new PrmItem(SHORT_PROBLEM, FINISHED)));
            assertEquals(0.9409, direct.get(0).product(), 1e-4);
            assertEquals(0.8587, direct.get(1).product(), 1e-4);

            var config = new BestOfNConfig(2, Selection.PRM, StepAggregate.PRODUCT);
            SearchResult result = SearchStrategies.bestOfN(servers.context, config)
                    .search(new Problem("p", SHORT_PROBLEM, "5"));

            assertEquals(FINISHED, result.steps());
            assertEquals("5", result.finalAnswer());
            assertEquals(5, result.stepScores().size());
            assertEquals(0.8587, StepAggregate.PRODUCT.apply(result.stepScores()), 1e-4);
        }
    }

    @Test
    void costCountsEveryCandidate() {
        try (SearchServers servers = new SearchServers(script())) {
            var config = new BestOfNConfig(2, Selection.PRM, StepAggregate.MIN);
            SearchResult result = SearchStrategies.bestOfN(servers.context, config)
                    .search(new Problem("p", SHORT_PROBLEM, "5"));

            // Tokens are words. Generated: 4 + 3 unfinished, 4 + 3 + 4 + 3 + 5 finished. Scored: the
            // problem (5) plus each step and its separator token: 5 + 5 + 4 = 14 and 5 + 5 + 4 + 5 + 4 + 6 = 29.
            ComputeCost cost = result.cost();
            assertEquals(1, cost.generatorCalls());
            assertEquals(5, cost.promptTokens());
            assertEquals(26, cost.completionTokens());
            assertEquals(1, cost.scoringCalls());
            assertEquals(43, cost.scoredTokens());
            assertEquals(0, cost.reusedTokens());
            assertEquals(69, cost.computeTokens());
        }
    }

    @Test
    void selectionsPickDifferentCandidates() {
        try (SearchServers servers = new SearchServers(script())) {
            Problem problem = new Problem("v", VOTE_PROBLEM, "5");

            SearchResult prm = SearchStrategies.bestOfN(servers.context,
                    new BestOfNConfig(4, Selection.PRM, StepAggregate.MIN)).search(problem);
            SearchResult vote = SearchStrategies.bestOfN(servers.context,
                    new BestOfNConfig(4, Selection.WEIGHTED_VOTE, StepAggregate.MIN)).search(problem);
            SearchResult orm = SearchStrategies.bestOfN(servers.context,
                    new BestOfNConfig(4, Selection.ORM, StepAggregate.MIN)).search(problem);

            assertEquals(SEVEN_HIGH, prm.steps());
            assertEquals("7", prm.finalAnswer());
            assertEquals(FIVE_MID, vote.steps());
            assertEquals("5.0", vote.finalAnswer());
            assertEquals(FIVE_LOW, orm.steps());
            assertEquals(0.8, orm.outcomeScore(), 1e-6);
            assertEquals(1, orm.cost().scoringCalls());
        }
    }

    @Test
    void tieGoesToFirstSample() {
        try (SearchServers servers = new SearchServers(script())) {
            for (StepAggregate aggregate : StepAggregate.values()) {
                SearchResult result = SearchStrategies.bestOfN(servers.context,
                        new BestOfNConfig(2, Selection.PRM, aggregate)).search(new Problem("t", TIE_PROBLEM, "1"));
                assertEquals("1", result.finalAnswer(), aggregate.name());
            }
        }
    }

    @Test
    void ormSelectionNeedsOrm() {
        try (SearchServers servers = new SearchServers(script())) {
            SearchContext withoutOrm = servers.prmOnly();
            var config = new BestOfNConfig(2, Selection.ORM, StepAggregate.MIN);
            var error = assertThrows(IllegalArgumentException.class,
                    () -> SearchStrategies.bestOfN(withoutOrm, config));
            assertEquals(true, error.getMessage().contains("no answerScorer"));
        }
    }

    @Test
    void unansweredOnlyGivesNoAnswer() {
        try (SearchServers servers = new SearchServers(new StepTreeScript()
                .problem("Say something.", List.of("{0.9} Hello."), List.of("{0.8} Bye.")))) {
            SearchResult result = SearchStrategies.bestOfN(servers.context,
                    new BestOfNConfig(2, Selection.WEIGHTED_VOTE, StepAggregate.LAST))
                    .search(new Problem("u", "Say something.", "1"));
            assertNull(result.finalAnswer());
            assertEquals(List.of("{0.9} Hello."), result.steps());
        }
    }
}
