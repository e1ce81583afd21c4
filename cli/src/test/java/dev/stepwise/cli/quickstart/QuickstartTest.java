package dev.stepwise.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole quickstart at toy size: every stage must run and write its files. A model trained
 * for three steps gives noise, so only the ranges of its numbers are checked here. The full-size run
 * and its measured results are in docs/quickstart.md.
 */
class QuickstartTest {

    private static final QuickstartConfig TOY = new QuickstartConfig(40, 10, 2, 6, 4, 2,
            new QuickstartConfig.ModelShape(32, 1, 4), 3, 3, 8, 3e-3, 5);

    @Test
    void toyRunWritesEveryReportFile(@TempDir Path out) throws Exception {
        String text = new Quickstart(TOY, new Quickstart.Options(out, null, null, null)).run();

        for (String name : List.of("dataset/tokenizer/tokenizer.json", "dataset/train.arrow", "dataset/test.arrow",
                "prm/stepwise.json", "orm/stepwise.json", "metrics.json", "results.md", "training-loss.png",
                "best-of-n.png", "search-accuracy-vs-compute.png", "prm-metrics.jsonl", "orm-metrics.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(name)), "missing " + name);
        }
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(80, metrics.path("train_traces").asInt());
        assertEquals(20, metrics.path("test_traces").asInt());
        double auc = metrics.path("prm").path("step_auc").asDouble();
        assertTrue(auc >= 0, "step AUC " + auc);
        assertTrue(auc <= 1, "step AUC " + auc);
        assertEquals(List.of(1.0, 2.0, 4.0), new ObjectMapper().convertValue(
                metrics.path("best_of_n").path("N"), new com.fasterxml.jackson.core.type.TypeReference<List<Double>>() {}));
        assertEquals(SearchStage.strategies().size(), metrics.path("search").size());
        assertTrue(text.contains("| PRM_MIN |"), text);
        assertEquals(Files.readString(out.resolve("results.md")), text);
    }

    @Test
    void reusedStagesAreNotRetrained(@TempDir Path out) throws Exception {
        QuickstartConfig noSearch = new QuickstartConfig(40, 10, 2, 6, 4, 0,
                new QuickstartConfig.ModelShape(32, 1, 4), 3, 3, 8, 3e-3, 5);
        new Quickstart(noSearch, new Quickstart.Options(out.resolve("first"), null, null, null)).run();
        Path first = out.resolve("first");
        Path second = out.resolve("second");
        new Quickstart(noSearch, new Quickstart.Options(second, first.resolve("dataset"), first.resolve("prm"),
                first.resolve("orm"))).run();
        assertTrue(Files.notExists(second.resolve("prm")), "a reused PRM must not be trained again");
        assertTrue(Files.notExists(second.resolve("dataset")), "a reused dataset must not be written again");
        assertTrue(Files.notExists(second.resolve("training-loss.png")), "no training, no loss chart");
        JsonNode firstMetrics = new ObjectMapper().readTree(first.resolve("metrics.json").toFile());
        JsonNode secondMetrics = new ObjectMapper().readTree(second.resolve("metrics.json").toFile());
        assertEquals(firstMetrics.path("prm").path("step_auc").asDouble(),
                secondMetrics.path("prm").path("step_auc").asDouble(), 1e-6);
        assertEquals(firstMetrics.path("best_of_n"), secondMetrics.path("best_of_n"));
    }
}
