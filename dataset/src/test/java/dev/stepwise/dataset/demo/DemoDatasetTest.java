package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDatasetTest {

    @Test
    void rowsKeepLabelsAndScoreSeparators(@TempDir Path dir) throws Exception {
        List<TraceRecord> records = DemoTraces.generate(DemoConfig.of(6, 2, 7));
        Path file = dir.resolve("demo.arrow");
        try (TextTokenizer tokenizer = TextTokenizer.load(DemoTokenizer.write(dir.resolve("tokenizer")))) {
            ImportStats stats = DemoDataset.write(records, tokenizer, file);
            assertEquals(12, stats.recordsKept());
            assertEquals(0, stats.rejectedTotal());
        }
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            List<StepRow> rows = reader.readAll();
            assertEquals(12, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                StepRow row = rows.get(i);
                assertEquals(records.get(i).id(), row.id());
                assertArrayEquals(records.get(i).stepLabels(), row.stepLabels(), row.id());
                for (int position : row.scorePositions()) {
                    assertEquals(258, row.inputIds()[position], row.id() + " position " + position);
                }
            }
            StepRow first = rows.get(0);
            String expectedText = first.problem() + "\nStep 1: 3 * 8 = 24, write 4 carry 2; 1 * 8 = 8; so 13 * 8 = 84 <step>"
                    + "\nStep 2: 4 + 2 = 6; 8 + 4 = 12; so 84 + 42 = 126 <step>"
                    + "\nThe answer is 126 <step>";
            assertEquals(expectedText.replace("<step>", "\u0102").getBytes(StandardCharsets.ISO_8859_1).length,
                    first.inputIds().length);
        }
    }
}
