package dev.stepwise.serve.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.dataset.generate.GenerationScript;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.search.BeamConfig.ScoringMode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall time and scored tokens of one beam search with incremental scoring versus full-prefix
 * rescoring, on a random 2-layer Llama PRM (hidden size 128) over the byte-level demo tokenizer.
 * Runs only with {@code STEPWISE_BENCH_SEARCH=1}; {@code bench/search/run.sh} sets it.
 */
class SearchBenchmark {

    private static final int STEPS = 6;
    private static final int REPEATS = 3;
    private static final String PROBLEM = "A train leaves at 9:40 and travels 168 km at 84 km/h. When does it arrive?";
    private static final String FILLER = "we restate the quantities, apply the rate formula once more, and check"
            + " the arithmetic of the previous line before moving on";

    /** Step d of sample i reads "Step d, option i: ..."; step STEPS states the answer. */
    private static final GenerationScript SCRIPT = call -> {
        int depth = call.prompt().split("\n\n", -1).length - 2;
        int option = call.temperature() == 0 ? 0 : call.sampleIndex();
        String step = depth + 1 >= STEPS
                ? "So it arrives 2 hours later. The answer is 11:" + (40 + option) + "."
                : "Step " + (depth + 1) + ", option " + option + ": " + FILLER + ".";
        return GenerationScript.Result.stop(step + "\n\n");
    };

    @TempDir
    Path dir;

    @Test
    void incrementalVersusFullPrefix() throws Exception {
        assumeTrue("1".equals(System.getenv("STEPWISE_BENCH_SEARCH")),
                "benchmark; run bench/search/run.sh or set STEPWISE_BENCH_SEARCH=1");
        ModelConfig config = PrmFolders.config(128, 344, 2, 4, 2);
        Path prmDir = PrmFolders.write(dir.resolve("prm"), config, 2048);
        BeamConfig beam = BeamConfig.beam(4, 4, STEPS + 2);

        List<Run> runs = new ArrayList<>();
        try (ScriptedGeneratorServer generator = ScriptedGeneratorServer.start("scripted", SCRIPT)) {
            run(prmDir, generator, beam);
            for (int repeat = 0; repeat < REPEATS; repeat++) {
                runs.add(run(prmDir, generator, beam.withScoring(ScoringMode.FULL_PREFIX)));
                runs.add(run(prmDir, generator, beam));
            }
        }
        Run full = median(runs, ScoringMode.FULL_PREFIX);
        Run incremental = median(runs, ScoringMode.INCREMENTAL);
        assertEquals(full.result.steps(), incremental.result.steps());
        System.out.println(report(full, incremental));
    }

    private record Run(ScoringMode mode, SearchResult result, double seconds) {}

    /** Runs one search on a freshly started scoring service, so no run reuses another run's prefix cache. */
    private Run run(Path prmDir, ScriptedGeneratorServer generator, BeamConfig beam) throws Exception {
        ServerConfig serverConfig = ServerConfig.builder().port(0).maxInputTokens(2048).maxBatchTokens(16384).build();
        try (ScoringServer scoring = ScoringServer.start(serverConfig, List.of(new ModelSource("prm", prmDir)),
                        Device.cpu());
                GeneratorClient generatorClient = new GeneratorClient(
                        GeneratorConfig.defaults(generator.baseUrl(), "scripted"));
                ScoringClient prm = ScoringClient.create(URI.create("http://127.0.0.1:" + scoring.port()))) {
            var settings = new GenerationSettings("\n\n", 256, 2048, 0.8, 0);
            SearchContext context = SearchClients.context(generatorClient, prm, null, SearchClients.defaultJudge(),
                    settings);
            long start = System.nanoTime();
            SearchResult result = SearchStrategies.beam(context, beam).search(new Problem("train", PROBLEM, "11:40"));
            return new Run(beam.scoring(), result, (System.nanoTime() - start) / 1e9);
        }
    }

    private static Run median(List<Run> runs, ScoringMode mode) {
        List<Run> ofMode = runs.stream().filter(r -> r.mode == mode)
                .sorted(java.util.Comparator.comparingDouble(Run::seconds)).toList();
        return ofMode.get(ofMode.size() / 2);
    }

    private static String report(Run full, Run incremental) {
        StringBuilder out = new StringBuilder("| scoring | wall time (s, median of " + REPEATS
                + ") | scoring calls | scored tokens | reused tokens | generated tokens |\n|---|---:|---:|---:|---:|---:|\n");
        for (Run run : List.of(full, incremental)) {
            ComputeCost cost = run.result.cost();
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %d | %d | %d | %d |%n",
                    run.mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), run.seconds, cost.scoringCalls(),
                    cost.scoredTokens(), cost.reusedTokens(), cost.completionTokens()));
        }
        return out.toString();
    }
}
