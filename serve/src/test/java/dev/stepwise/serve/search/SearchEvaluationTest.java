package dev.stepwise.serve.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchEvaluationTest {

    @TempDir
    Path dir;

    private static EvaluationRow row(String strategy, double computeTokens) {
        return new EvaluationRow(strategy, 2, 1, 0.5, computeTokens, computeTokens, 0, 0);
    }

    @Test
    void plotRejectsDuplicateStrategyNames() {
        Path png = dir.resolve("plot.png");
        List<EvaluationRow> rows = List.of(row("greedy", 10), row("best-of-n(n=4)", 40), row("best-of-n(n=4)", 40));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SearchEvaluation.writePlot(rows, png));

        assertTrue(error.getMessage().startsWith("cannot plot two rows named 'best-of-n(n=4)'"), error.getMessage());
        assertFalse(Files.exists(png));
    }

    @Test
    void plotWritesPngForUniqueNames() throws IOException {
        Path png = dir.resolve("plot.png");

        SearchEvaluation.writePlot(List.of(row("greedy", 10), row("best-of-n(n=4)", 40)), png);

        assertTrue(Files.size(png) > 0);
        assertEquals("PNG", new String(Files.readAllBytes(png), 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
