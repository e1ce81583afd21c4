package dev.stepwise.serve.search;

import static dev.stepwise.serve.search.AdaptiveFixture.EASY;
import static dev.stepwise.serve.search.AdaptiveFixture.HARD;
import static dev.stepwise.serve.search.AdaptiveFixture.HARDEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveSearchTest {

    private static final List<String> RUNGS = List.of("greedy", "best-of-n(n=2,selection=prm,aggregate=min)",
            "beam(width=3,expansions=1,aggregate=last)");

    @Test
    void rungsMatchDifficulty() {
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            SearchStrategy adaptive = SearchStrategies.adaptive(servers.context, AdaptiveFixture.config(0.7, 0));

            SearchResult easy = adaptive.search(EASY);
            SearchResult hard = adaptive.search(HARD);
            SearchResult hardest = adaptive.search(HARDEST);

            assertEquals("2", easy.finalAnswer());
            assertEquals(List.of(true), accepted(easy));
            assertEquals("42", hard.finalAnswer());
            assertEquals(List.of(false, true), accepted(hard));
            assertEquals("221", hardest.finalAnswer());
            assertEquals(List.of(false, false, true), accepted(hardest));
            assertEquals(RUNGS, hardest.rungs().stream().map(RungTrace::rung).toList());
            assertEquals(0.3, hardest.rungs().get(0).minStepScore(), 1e-6);
            assertEquals(0.5, hardest.rungs().get(1).minStepScore(), 1e-6);
            assertEquals(0.9, hardest.rungs().get(2).minStepScore(), 1e-6);
        }
    }

    @Test
    void computeSumsRungs() {
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            SearchStrategy adaptive = SearchStrategies.adaptive(servers.context, AdaptiveFixture.config(0.7, 0));

            // Easy: greedy writes 4 + 5 words; scoring it runs problem (5) + steps with separators (5 + 6).
            ComputeCost easy = adaptive.search(EASY).cost();
            assertEquals(new ComputeCost(1, 5, 9, 1, 16, 0), easy);

            // Hard: greedy (11 generated, 18 scored), then Best-of-2 (11 + 8 generated, 18 + 15 scored).
            SearchResult hard = adaptive.search(HARD);
            assertEquals(new ComputeCost(1, 5, 11, 1, 18, 0), hard.rungs().get(0).cost());
            assertEquals(new ComputeCost(1, 5, 19, 1, 33, 0), hard.rungs().get(1).cost());
            assertEquals(81, hard.cost().computeTokens());

            // Hardest: beam search samples 3 first steps (3 + 3 + 7 words, scored 9 + 9 + 13 from scratch),
            // then one step per beam (5 words each, prompts 8 + 8 + 12) scored past the cached prefixes.
            SearchResult hardest = adaptive.search(HARDEST);
            assertEquals(new ComputeCost(4, 33, 28, 2, 49, 31), hardest.rungs().get(2).cost());
            assertEquals(new ComputeCost(6, 43, 52, 4, 94, 31), hardest.cost());
            assertEquals(146, hardest.cost().computeTokens());
        }
    }

    @Test
    void budgetStopsEscalation() {
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            SearchStrategy adaptive = SearchStrategies.adaptive(servers.context, AdaptiveFixture.config(0.7, 50));

            SearchResult hardest = adaptive.search(HARDEST);

            // Greedy spends 23 compute tokens, Best-of-2 brings the total to 69, past the budget of 50.
            assertEquals(List.of(false, false), accepted(hardest));
            assertEquals("210", hardest.finalAnswer());
            assertEquals(69, hardest.cost().computeTokens());
        }
    }

    @Test
    void calibrationHitsTargetAccuracy() throws Exception {
        Calibration calibration;
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            calibration = Calibration.fit(servers.prmOnly(), AdaptiveFixture.LADDER, 0, AdaptiveFixture.PROBLEMS,
                    CalibrationTarget.accuracy(1.0));
        }
        // 0.5 lets Best-of-2's 210 through on the hardest problem; 0.8 is the lowest threshold that
        // escalates it to beam search, and 0.9 would also escalate the hard problem.
        assertEquals(0.8, calibration.thresholds().minStepScore(), 1e-6);
        assertEquals(1.0, calibration.accuracy());
        assertEquals(84.0, calibration.averageComputeTokens());
        assertTrue(calibration.targetReached());
        assertEquals(RUNGS, calibration.rungs());

        try (SearchServers fresh = new SearchServers(AdaptiveFixture.script())) {
            AdaptiveConfig config = calibration.applyTo(AdaptiveFixture.config(0.0, 0), fresh.context);
            EvaluationRow live = SearchEvaluation.evaluate(
                    List.of(SearchStrategies.adaptive(fresh.context, config)), AdaptiveFixture.PROBLEMS,
                    fresh.context.judge()).rows().get(0);
            assertEquals(calibration.accuracy(), live.accuracy());
            assertEquals(calibration.averageComputeTokens(), live.averageComputeTokens());
        }
    }

    @Test
    void calibrationWithinBudget() {
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            Calibration calibration = Calibration.fit(servers.prmOnly(), AdaptiveFixture.LADDER, 0,
                    AdaptiveFixture.PROBLEMS, CalibrationTarget.computeBudget(40));

            // Threshold 0.4 already costs 123 / 3 = 41 tokens per problem, so only greedy answers fit.
            assertEquals(0.0, calibration.thresholds().minStepScore());
            assertEquals(1.0 / 3, calibration.accuracy(), 1e-12);
            assertEquals(77.0 / 3, calibration.averageComputeTokens(), 1e-9);
        }
    }

    @Test
    void calibrationRoundTripsJson() throws Exception {
        var calibration = new Calibration(new Thresholds(0.8, 0.25), CalibrationTarget.computeBudget(120), RUNGS, 3,
                2.0 / 3, 84.5, false);
        var file = java.nio.file.Files.createTempDirectory("calibration").resolve("thresholds.json");

        calibration.write(file);

        assertEquals(calibration, Calibration.read(file));
    }

    @Test
    void calibrationRejectsOtherLadder() {
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            var calibration = new Calibration(new Thresholds(0.8, null), CalibrationTarget.accuracy(1), RUNGS, 3, 1,
                    84, true);
            var other = new AdaptiveConfig(List.of(AdaptiveFixture.BEST_OF_2), new Thresholds(0.5, null), 0);

            var error = assertThrows(IllegalArgumentException.class, () -> calibration.applyTo(other, servers.context));
            assertTrue(error.getMessage().contains("recalibrate"), error.getMessage());
        }
    }

    @Test
    void evaluationWritesTableAndPlot() throws Exception {
        try (SearchServers servers = new SearchServers(AdaptiveFixture.script())) {
            var png = java.nio.file.Files.createTempDirectory("plot").resolve("accuracy.png");
            // Adaptive runs before beam search: beam search would leave its steps in the scoring service's
            // prefix cache and make adaptive's beam rung cheaper than on a fresh server.
            List<StrategySpec> specs = List.of(new StrategySpec.Greedy(), AdaptiveFixture.BEST_OF_2,
                    new StrategySpec.Adaptive(AdaptiveFixture.config(0.7, 0)), AdaptiveFixture.BEAM_3);

            List<EvaluationRow> rows =
                    SearchEvaluation.accuracyVersusCompute(servers.context, specs, AdaptiveFixture.PROBLEMS, png);

            assertEquals(List.of(1, 2, 3, 3), rows.stream().map(EvaluationRow::correct).toList());
            // Greedy alone is never scored: 9 + 11 + 8 generated tokens.
            assertEquals(28.0 / 3, rows.get(0).averageComputeTokens(), 1e-9);
            assertEquals(84.0, rows.get(2).averageComputeTokens(), 1e-9);
            assertTrue(SearchEvaluation.table(rows).contains("| greedy | 3 | 1 | 0.333 |"));
            byte[] header = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(png), 4);
            assertEquals("\u0089PNG", new String(header, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertTrue(rows.get(2).strategy().startsWith("adaptive"), rows.get(2).strategy());
        }
    }

    private static List<Boolean> accepted(SearchResult result) {
        return result.rungs().stream().map(RungTrace::accepted).toList();
    }
}
