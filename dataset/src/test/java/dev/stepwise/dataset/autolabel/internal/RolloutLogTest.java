package dev.stepwise.dataset.autolabel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutLogTest {

    private static final Map<String, String> SETTINGS = Map.of("rollouts", "8", "seed", "0");

    @TempDir
    Path dir;

    @Test
    void entriesSurviveReopen() throws IOException {
        Path path = dir.resolve("log.jsonl");
        LogEntry.Probe probe = new LogEntry.Probe("r1", 2, 4, "CIUL", 30, 40);
        LogEntry.Failed failed = new LogEntry.Failed("r1", 3, 0, 8, "TIMEOUT", "no response within 100 ms");
        LogEntry.FinalGrade grade = new LogEntry.FinalGrade("r1", 'C');
        try (RolloutLog log = RolloutLog.open(path, SETTINGS)) {
            log.append(probe);
            log.append(failed);
            log.append(grade);
        }

        try (RolloutLog log = RolloutLog.open(path, SETTINGS)) {
            assertEquals(List.of(probe, failed, grade), log.entries());
        }
    }

    @Test
    void tornHeaderIsRewritten() throws IOException {
        Path path = dir.resolve("log.jsonl");
        Files.writeString(path, "{\"type\":\"hea");

        try (RolloutLog log = RolloutLog.open(path, SETTINGS)) {
            assertEquals(List.of(), log.entries());
        }
        String text = Files.readString(path);
        assertTrue(text.startsWith("{\"type\":\"header\""), text);
        assertEquals(1, text.lines().count());
    }

    @Test
    void secondOpenIsRejected() throws IOException {
        Path path = dir.resolve("log.jsonl");
        try (RolloutLog first = RolloutLog.open(path, SETTINGS)) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> RolloutLog.open(path, SETTINGS));
            assertTrue(error.getMessage().contains("locked"), error.getMessage());
        }
    }
}
