package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code stepwise dataset} subcommands on a hand-written tokenizer and a small ProcessBench file. */
class DatasetCommandTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path tokenizer() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
                                   "normalized": false, "special": true}],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "unk_token": "[UNK]",
                           "vocab": {"[UNK]": 0, "P": 1, "a": 2, "b": 3, "c": 4, "d": 5}}}
                """);
        return file;
    }

    private Path processBench() throws IOException {
        Path file = dir.resolve("bench.json");
        Files.writeString(file, """
                [{"id": "r0", "problem": "P", "steps": ["a", "b", "c"], "label": 1, "final_answer_correct": false},
                 {"id": "r1", "problem": "P", "steps": ["a b c d a b c d a b c d a b c d"], "label": -1,
                  "final_answer_correct": true},
                 {"id": "r2", "problem": "P", "steps": ["d"], "label": 3, "final_answer_correct": true}]
                """);
        return file;
    }

    private Run importBench(Path output) throws IOException {
        return run("dataset", "import", "--format", "processbench", "--input", processBench().toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                "--max-tokens", "12", "--output", output.toString(), "--json");
    }

    @Test
    void importCountsRejectionsByReason() throws IOException {
        Path output = dir.resolve("bench.arrow");
        Run result = importBench(output);

        assertEquals(0, result.exitCode(), result.err());
        JsonNode stats = JSON.readTree(result.out());
        assertEquals(3, stats.get("records_read").asLong());
        assertEquals(1, stats.get("records_kept").asLong());
        assertEquals("{\"label_out_of_range\":1,\"no_kept_step\":1}", stats.get("rejected").toString());
        assertEquals(3, stats.get("steps").asLong());
        assertEquals(3, stats.get("score_positions").asLong());
        try (StepDatasetReader reader = StepDatasetReader.open(output)) {
            StepRow row = reader.readAll().get(0);
            assertArrayEquals(new long[] {1, 2, 6, 3, 6, 4, 6}, row.inputIds());
            assertArrayEquals(new int[] {2, 4, 6}, row.scorePositions());
            assertArrayEquals(new float[] {1, 0, -100}, row.stepLabels());
            assertEquals("[\"<extra_0>\"]", reader.metadata().get("stepwise.registered_tokens"));
        }
    }

    @Test
    void statsJsonReportsImportAndLabels() throws IOException {
        Path output = dir.resolve("bench.arrow");
        assertEquals(0, importBench(output).exitCode());

        Run result = run("dataset", "stats", "--json", output.toString());

        assertEquals(0, result.exitCode(), result.err());
        JsonNode stats = JSON.readTree(result.out());
        assertEquals(3, stats.get("records_read").asLong());
        assertEquals(1, stats.get("records_kept").asLong());
        assertEquals(3, stats.get("score_positions").asLong());
        assertEquals("{\"positive\":1,\"negative\":1,\"soft\":0,\"ignored\":1}", stats.get("label_balance").toString());
        assertEquals("{\"count\":2,\"min\":2,\"mean\":2.0,\"p50\":2,\"p90\":2,\"max\":2}",
                stats.get("tokens_per_step").toString());
    }

    @Test
    void splitWritesThreeFiles() throws IOException {
        Path output = dir.resolve("bench.arrow");
        assertEquals(0, importBench(output).exitCode());

        Run result = run("dataset", "split", output.toString(), "--output-dir", dir.resolve("splits").toString(),
                "--train", "1", "--validation", "0");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("train: 1 rows"), result.out());
        try (StepDatasetReader reader = StepDatasetReader.open(dir.resolve("splits/train.arrow"))) {
            assertEquals(List.of("r0"), reader.readAll().stream().map(StepRow::id).toList());
            assertEquals("train", reader.metadata().get("stepwise.split"));
        }
    }

    @Test
    void tokenizeAppliesNewLimit() throws IOException {
        Path output = dir.resolve("bench.arrow");
        assertEquals(0, importBench(output).exitCode());
        Path retokenized = dir.resolve("short.arrow");

        Run result = run("dataset", "tokenize", "--input", output.toString(), "--output", retokenized.toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                "--max-tokens", "5", "--json");

        assertEquals(0, result.exitCode(), result.err());
        try (StepDatasetReader reader = StepDatasetReader.open(retokenized)) {
            StepRow row = reader.readAll().get(0);
            assertArrayEquals(new int[] {2, 4}, row.scorePositions());
            assertArrayEquals(new float[] {1, 0}, row.stepLabels());
            assertEquals(List.of("final_answer_dropped", "truncated"), row.flags());
        }
    }

    @Test
    void tokenizeKeepsInputLayoutByDefault() throws IOException {
        Path output = dir.resolve("bench.arrow");
        assertEquals(0, importBench(output).exitCode());
        Path retokenized = dir.resolve("again.arrow");

        Run result = run("dataset", "tokenize", "--input", output.toString(), "--output", retokenized.toString(),
                "--tokenizer", tokenizer().toString(), "--register-separator", "--max-tokens", "12");

        assertEquals(0, result.exitCode(), result.err());
        try (StepDatasetReader before = StepDatasetReader.open(output);
             StepDatasetReader after = StepDatasetReader.open(retokenized)) {
            assertEquals(before.metadata().get("stepwise.prompt_format"), after.metadata().get("stepwise.prompt_format"));
            assertEquals("<extra_0>", after.metadata().get("stepwise.separator"));
            assertArrayEquals(before.readAll().get(0).inputIds(), after.readAll().get(0).inputIds());
        }
    }

    @Test
    void importWithNothingKeptFails() throws IOException {
        Path output = dir.resolve("none.arrow");

        Run result = run("dataset", "import", "--format", "math-shepherd", "--input", processBench().toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                "--output", output.toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("stepwise dataset import: no record kept of 3 read (rejected: "
                + "{missing_field=3}); " + output + " was not written"), result.err());
        assertTrue(result.err().contains("check --format"), result.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void importOfEmptyFileFails() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        Path output = dir.resolve("empty.arrow");

        Run result = run("dataset", "import", "--format", "processbench", "--input", empty.toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                "--output", output.toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("no record found in the input; " + output + " was not written"),
                result.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void missingInputNamesFile() throws IOException {
        Path missing = dir.resolve("missing.json");

        Run result = run("dataset", "import", "--format", "processbench", "--input", missing.toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                "--output", dir.resolve("x.arrow").toString());

        assertEquals(1, result.exitCode());
        assertEquals("stepwise dataset import: file or folder not found: " + missing + System.lineSeparator(),
                result.err());
    }

    @Test
    void invalidLayoutOptionsNameTheOption() throws IOException {
        String[][] cases = {
            {"--max-tokens", "0", "stepwise dataset import: --max-tokens must be at least 1, found: 0"},
            {"--prompt-format", "nope", "stepwise dataset import: --prompt-format: unknown prompt format 'nope'; "
                    + "expected qwen2.5-math-prm, math-shepherd, plain or concat, or pass --prompt-template for a "
                    + "custom layout"},
        };
        for (String[] testCase : cases) {
            Run result = run("dataset", "import", "--format", "processbench", "--input", processBench().toString(),
                    "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                    testCase[0], testCase[1], "--output", dir.resolve("x.arrow").toString());

            assertEquals(1, result.exitCode(), testCase[0]);
            assertEquals(testCase[2] + System.lineSeparator(), result.err());
        }
    }

    @Test
    void prm800kWithoutNeutralFailsWithMessage() throws IOException {
        Run result = run("dataset", "import", "--format", "prm800k", "--input", processBench().toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>", "--register-separator",
                "--output", dir.resolve("x.arrow").toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("requires an explicit neutral-rating policy"), result.err());
        assertTrue(result.err().contains("--neutral positive, negative or ignore"), result.err());
    }

    @Test
    void unregisteredSeparatorFailsWithMessage() throws IOException {
        Run result = run("dataset", "import", "--format", "processbench", "--input", processBench().toString(),
                "--tokenizer", tokenizer().toString(), "--separator", "<extra_0>",
                "--output", dir.resolve("x.arrow").toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("must encode to exactly one token"), result.err());
    }
}
