package dev.stepwise.dataset.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens a file written by stepwise with the apache-arrow JavaScript reader, an independent Arrow
 * implementation. Needs {@code node} on PATH and {@code npm ci} run in {@code bench/dataset/arrow-check}.
 */
class ArrowJsReaderTest {

    @TempDir
    Path dir;

    private static Path checkerDir() {
        return Path.of(System.getProperty("user.dir")).resolve("../bench/dataset/arrow-check").normalize();
    }

    private static boolean nodeAvailable() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void javascriptReaderSeesSchemaAndRows() throws Exception {
        assumeTrue(nodeAvailable(), "node is not on PATH");
        assumeTrue(Files.isDirectory(checkerDir().resolve("node_modules/apache-arrow")),
                "run 'npm ci' in " + checkerDir() + " to install apache-arrow");
        Path file = dir.resolve("steps.arrow");
        StepDatasetMetadata metadata = new StepDatasetMetadata("unit-test", "abc123", "<extra_0>", 9, "plain",
                LabelPolicy.sourceConvention(), Map.of());
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata, true)) {
            writer.write(new StepRow("r1", "unit-test", "Кто?", List.of("a=1", "b=2"), new long[] {5, 9, 6, 9},
                    new int[] {1, 3}, new float[] {1, StepLabels.IGNORE}, 0f, "2", null, List.of("truncated"),
                    new int[] {3, 0}, new int[] {4, 4}));
            writer.commit();
        }

        Process process = new ProcessBuilder("node", "check.mjs", file.toString()).directory(checkerDir().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "node did not finish within 60 s");
        assertEquals(0, process.exitValue(), output);
        JsonNode result = new ObjectMapper().readTree(output);

        assertEquals("""
                [{"name":"id","type":"Utf8","nullable":false},{"name":"source","type":"Utf8","nullable":false},\
                {"name":"problem","type":"Utf8","nullable":false},{"name":"steps","type":"List<Utf8>","nullable":false},\
                {"name":"input_ids","type":"List<Int64>","nullable":false},\
                {"name":"score_positions","type":"List<Int32>","nullable":false},\
                {"name":"step_labels","type":"List<Int8>","nullable":false},\
                {"name":"outcome_label","type":"Float32","nullable":true},\
                {"name":"final_answer","type":"Utf8","nullable":true},\
                {"name":"reference_answer","type":"Utf8","nullable":true},\
                {"name":"flags","type":"List<Utf8>","nullable":false},\
                {"name":"rollouts_correct","type":"List<Int32>","nullable":false},\
                {"name":"rollouts_total","type":"List<Int32>","nullable":false}]""", result.get("fields").toString());
        assertEquals("""
                {"id":"r1","source":"unit-test","problem":"Кто?","steps":["a=1","b=2"],"input_ids":[5,9,6,9],\
                "score_positions":[1,3],"step_labels":[1,-100],"outcome_label":0,"final_answer":"2",\
                "reference_answer":null,"flags":["truncated"],"rollouts_correct":[3,0],"rollouts_total":[4,4]}""",
                result.get("rows").get(0).toString());
        assertEquals("9", result.get("metadata").get(StepDatasetSchema.META_SEPARATOR_ID).asText());
        assertEquals("1", result.get("metadata").get(StepDatasetSchema.META_SCHEMA_VERSION).asText());
    }
}
