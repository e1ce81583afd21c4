package dev.stepwise.dataset.arrow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.PreferencePair;
import dev.stepwise.dataset.PreferencePairs;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TestTokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PairDatasetTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dialoguePromptIsSharedPrefixUpToAssistant() throws IOException {
        PreferencePair pair = PreferencePairs.map(JSON.readTree("""
                {"chosen": "\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\nHuman: 2+2?\\n\\nAssistant: It is 4.",
                 "rejected": "\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\nHuman: 2+2?\\n\\nAssistant: It is 5."}
                """), "p1", "hh");

        assertEquals("\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: 2+2?\n\nAssistant:", pair.prompt());
        assertEquals(" It is 4.", pair.chosen());
        assertEquals(" It is 5.", pair.rejected());
    }

    @Test
    void explicitPromptIsKept() throws IOException {
        PreferencePair pair = PreferencePairs.map(JSON.readTree("""
                {"prompt": "Q: a?", "chosen": "the answer is 7", "rejected": "x"}
                """), "p2", "test");

        assertEquals(new PreferencePair("p2", "test", "Q: a?", "the answer is 7", "x"), pair);
    }

    @Test
    void identicalSidesAreRejected() throws IOException {
        RejectedRecordException error = assertThrows(RejectedRecordException.class, () -> PreferencePairs.map(
                JSON.readTree("{\"chosen\": \"same\", \"rejected\": \"same\"}"), "p3", "test"));
        assertEquals("identical_pair", error.reason());
    }

    @Test
    void pairRowsRoundTrip() throws IOException {
        Path file = dir.resolve("pairs.arrow");
        try (TextTokenizer words = TestTokenizers.wordLevel(dir);
             TextTokenizer tokenizer = words.withSpecialTokens(List.of("<extra_0>"))) {
            StepSegmenter segmenter = new StepSegmenter(tokenizer, PromptFormat.plain(), "<extra_0>", 64);
            PairRow row = PreferencePairs.toRow(new PreferencePair("p4", "test", "Q: a?", "the answer is 7", "x"),
                    segmenter);
            assertArrayEquals(new long[] {1, 2, 3, 4, 16, 15, 17, 18}, row.chosenInputIds());
            assertArrayEquals(new long[] {1, 2, 3, 4, 9}, row.rejectedInputIds());
            try (PairDatasetWriter writer = PairDatasetWriter.create(file, Map.of(StepDatasetSchema.META_SOURCE, "test"))) {
                writer.write(row);
                writer.commit();
            }
            try (PairDatasetReader reader = PairDatasetReader.open(file)) {
                assertEquals(List.of(row), reader.readAll());
                assertEquals("pairs", reader.metadata().get(StepDatasetSchema.META_KIND));
            }
        }
    }
}
