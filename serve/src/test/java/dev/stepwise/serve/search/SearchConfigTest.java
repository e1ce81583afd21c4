package dev.stepwise.serve.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SearchConfigTest {

    @TempDir
    Path dir;

    private static String rejection(Executable construction) {
        return assertThrows(IllegalArgumentException.class, construction).getMessage();
    }

    @Test
    void configsNameRejectedValue() {
        assertEquals("width must be in [1, 256], found 0", rejection(() -> BeamConfig.beam(0, 4, 10)));
        assertEquals("lookahead search needs lookaheadSteps >= 1, found 0",
                rejection(() -> BeamConfig.lookahead(2, 2, 10, 0)));
        assertEquals("n must be in [1, 1024], found 0",
                rejection(() -> new BestOfNConfig(0, BestOfNConfig.Selection.PRM, StepAggregate.MIN)));
        assertEquals("minStepScore threshold must be in [0, 1], found 1.5", rejection(() -> new Thresholds(1.5, null)));
        assertEquals("target accuracy must be in (0, 1], found 0.0", rejection(() -> CalibrationTarget.accuracy(0)));
        assertEquals("stepSeparator must not be empty",
                rejection(() -> new GenerationSettings("", 16, 64, 0.8, 0)));
        assertEquals("the adaptive ladder needs at least one strategy after greedy, found none",
                rejection(() -> new AdaptiveConfig(List.of(), new Thresholds(0.5, null), 0)));
    }

    @Test
    void namesParseWithChoices() {
        assertEquals(StepAggregate.PRODUCT, StepAggregate.parse("product"));
        assertEquals(BestOfNConfig.Selection.WEIGHTED_VOTE, BestOfNConfig.Selection.parse("weighted-vote"));
        assertEquals("unknown step aggregate 'median', expected one of last, min, product, mean",
                rejection(() -> StepAggregate.parse("median")));
    }

    @Test
    void aggregatesMatchHandValues() {
        List<Double> scores = List.of(0.9, 0.5, 0.7);

        assertEquals(0.7, StepAggregate.LAST.apply(scores));
        assertEquals(0.5, StepAggregate.MIN.apply(scores));
        assertEquals(0.315, StepAggregate.PRODUCT.apply(scores), 1e-12);
        assertEquals(0.7, StepAggregate.MEAN.apply(scores), 1e-12);
    }

    @Test
    void problemsFileErrorNamesLine() throws Exception {
        Path file = Files.writeString(dir.resolve("problems.jsonl"),
                "{\"id\": \"a\", \"problem\": \"1 + 1?\", \"answer\": 2}\n\n{\"id\": \"b\"}\n");

        var error = assertThrows(java.io.IOException.class, () -> SearchFiles.readProblems(file));

        assertEquals(file + " line 3: expected a non-empty string field 'problem', found null", error.getMessage());
    }

    @Test
    void problemsFileReadsDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("problems.jsonl"),
                "{\"problem\": \"1 + 1?\", \"answer\": 2}\n{\"id\": \"q\", \"problem\": \"2 + 2?\"}\n");

        List<Problem> problems = SearchFiles.readProblems(file);

        assertEquals(new Problem("1", "1 + 1?", "2"), problems.get(0));
        assertEquals(new Problem("q", "2 + 2?", null), problems.get(1));
    }
}
