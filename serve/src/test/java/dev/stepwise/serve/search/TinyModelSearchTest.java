package dev.stepwise.serve.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.client.PrmItem;
import dev.stepwise.serve.client.PrmResult;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.search.BeamConfig.ScoringMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies against the stepwise scoring service serving a real model folder: a randomly
 * initialised two-layer Llama PRM over the byte-level demo tokenizer.
 */
class TinyModelSearchTest {

    private static final String PROBLEM = "Add 2 and 3.";
    private static final List<List<String>> SOLUTIONS = List.of(
            List.of("2 + 3 = 6.", "The answer is 6."),
            List.of("Count up from 2.", "3, 4, 5.", "The answer is 5."),
            List.of("2 + 3 = 5.", "The answer is 5."),
            List.of("Count up from 2.", "3, 4.", "The answer is 4."));

    @TempDir
    static Path folder;
    private static ScoringServer scoringServer;
    private static ScriptedGeneratorServer generatorServer;

    @BeforeAll
    static void start() throws Exception {
        Path prmDir = PrmFolders.write(folder.resolve("prm"), PrmFolders.tinyConfig(), 192);
        ServerConfig config = ServerConfig.builder().port(0).maxInputTokens(192).maxBatchTokens(2048).build();
        scoringServer = ScoringServer.start(config, List.of(new ModelSource("tiny-prm", prmDir)), Device.cpu());
        @SuppressWarnings("unchecked")
        List<String>[] paths = SOLUTIONS.toArray(List[]::new);
        StepTreeScript script = new StepTreeScript().problem(PROBLEM, paths);
        generatorServer = ScriptedGeneratorServer.start("scripted", script);
    }

    @AfterAll
    static void stop() {
        if (scoringServer != null) {
            scoringServer.close();
        }
        if (generatorServer != null) {
            generatorServer.close();
        }
    }

    @Test
    void bestOfNPicksHighestMinimum() {
        try (GeneratorClient generator = generator(); ScoringClient prm = scoring()) {
            List<PrmResult> direct = prm.scorePrm(SOLUTIONS.stream().map(s -> new PrmItem(PROBLEM, s)).toList());
            int expected = 0;
            for (int i = 1; i < direct.size(); i++) {
                if (direct.get(i).min() > direct.get(expected).min()) {
                    expected = i;
                }
            }

            SearchResult result = SearchStrategies.bestOfN(context(generator, prm),
                    new BestOfNConfig(4, BestOfNConfig.Selection.PRM, StepAggregate.MIN))
                    .search(new Problem("add", PROBLEM, "5"));

            assertEquals(SOLUTIONS.get(expected), result.steps());
            assertEquals(direct.get(expected).min(), result.minStepScore(), 1e-6);
        }
    }

    @Test
    void incrementalMatchesFullPrefix() {
        try (GeneratorClient generator = generator(); ScoringClient prm = scoring()) {
            SearchContext context = context(generator, prm);
            Problem problem = new Problem("add", PROBLEM, "5");
            BeamConfig config = BeamConfig.beam(2, 2, 4);

            SearchResult full = SearchStrategies.beam(context, config.withScoring(ScoringMode.FULL_PREFIX)).search(problem);
            SearchResult incremental = SearchStrategies.beam(context, config).search(problem);

            assertEquals(full.steps(), incremental.steps());
            assertEquals(full.stepScores().size(), incremental.stepScores().size());
            for (int i = 0; i < full.stepScores().size(); i++) {
                assertEquals(full.stepScores().get(i), incremental.stepScores().get(i), 1e-5, "step " + i);
            }
            assertEquals(full.cost().generatorCalls(), incremental.cost().generatorCalls());
            assertEquals(0, full.cost().reusedTokens());
            assertTrue(incremental.cost().reusedTokens() > 0);
            assertTrue(incremental.cost().scoredTokens() < full.cost().scoredTokens(),
                    incremental.cost() + " versus " + full.cost());
        }
    }

    private static SearchContext context(GeneratorClient generator, ScoringClient prm) {
        var settings = new GenerationSettings(StepTreeScript.SEPARATOR, 64, 256, 0.8, 3);
        return SearchClients.context(generator, prm, null, SearchClients.defaultJudge(), settings);
    }

    private static GeneratorClient generator() {
        return new GeneratorClient(GeneratorConfig.defaults(generatorServer.baseUrl(), "scripted"));
    }

    private static ScoringClient scoring() {
        return ScoringClient.builder(java.net.URI.create("http://127.0.0.1:" + scoringServer.port()))
                .model("tiny-prm").build();
    }
}
