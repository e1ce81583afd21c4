package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.dataset.generate.GenerationScript;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.search.Calibration;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stepwise search} end to end: a scripted generator whose greedy answer is wrong and whose
 * sampled answers are right, and the scoring service serving a tiny random PRM folder.
 */
class SearchCommandTest {

    /** Step 1 adds, step 2 states the answer: 4 at temperature 0, 5 when sampled. */
    private static final GenerationScript SCRIPT = call -> {
        String answer = call.temperature() == 0 ? "4" : "5";
        if (call.stop().isEmpty()) {
            return GenerationScript.Result.stop("Add 2 and 3.\n\nThe answer is " + answer + ".");
        }
        boolean first = call.prompt().endsWith("?\n\n");
        return GenerationScript.Result.stop(first ? "Add 2 and 3.\n\n" : "The answer is " + answer + ".\n\n");
    };

    @TempDir
    Path dir;

    @Test
    void adaptiveCalibratesAndEvaluates() throws Exception {
        Path problems = Files.writeString(dir.resolve("problems.jsonl"),
                "{\"id\": \"a\", \"problem\": \"What is 2 + 3?\", \"answer\": \"5\"}\n"
                        + "{\"id\": \"b\", \"problem\": \"What is 3 + 2?\", \"answer\": \"5\"}\n");
        Path out = dir.resolve("results.jsonl");
        Path calibration = dir.resolve("calibration.json");
        Path plot = dir.resolve("accuracy.png");
        try (ScoringServer scoring = startScoring(); ScriptedGeneratorServer generator =
                ScriptedGeneratorServer.start("scripted", SCRIPT)) {
            StringWriter output = new StringWriter();
            CommandLine command = StepwiseCommand.newCommandLine();
            command.setOut(new PrintWriter(output));
            int exit = command.execute("search", "--strategy", "adaptive", "--ladder", "best-of-n:2",
                    "--problems", problems.toString(), "--out", out.toString(),
                    "--generator-url", generator.baseUrl(), "--model", "scripted",
                    "--scorer-url", "http://127.0.0.1:" + scoring.port(),
                    "--calibrate", problems.toString(), "--target-accuracy", "1.0", "--calibration",
                    calibration.toString(), "--evaluate", "--compare", "--compare-n", "2", "--compare-widths", "2",
                    "--plot", plot.toString());

            assertEquals(0, exit, output.toString());
            List<String> lines = Files.readAllLines(out);
            assertEquals(2, lines.size());
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertEquals("a", first.get("id").asText());
            assertEquals("5", first.get("final_answer").asText());
            assertTrue(first.get("correct").asBoolean());
            assertEquals(2, first.get("rungs").size());
            assertEquals("greedy", first.get("rungs").get(0).get("rung").asText());
            assertEquals(1.0, Calibration.read(calibration).accuracy());
            String printed = output.toString();
            assertTrue(printed.contains("| greedy | 2 | 0 | 0.000 |"), printed);
            assertTrue(printed.contains("| beam(width=2,expansions=4,aggregate=last) | 2 | 2 | 1.000 |"), printed);
            assertTrue(Files.size(plot) > 0);
        }
    }

    @Test
    void evaluateTableReachesBufferedStdout() throws Exception {
        Path problems = Files.writeString(dir.resolve("problems.jsonl"),
                "{\"id\": \"a\", \"problem\": \"What is 2 + 3?\", \"answer\": \"5\"}\n");
        Path plot = dir.resolve("accuracy.png");
        try (ScoringServer scoring = startScoring(); ScriptedGeneratorServer generator =
                ScriptedGeneratorServer.start("scripted", SCRIPT)) {
            // Like picocli's default output: an auto-flushing PrintWriter over a buffering OutputStreamWriter.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CommandLine command = StepwiseCommand.newCommandLine();
            command.setOut(new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true));
            StringWriter err = new StringWriter();
            command.setErr(new PrintWriter(err));
            int exit = command.execute("search", "--strategy", "best-of-n", "--n", "2",
                    "--problems", problems.toString(), "--out", dir.resolve("results.jsonl").toString(),
                    "--generator-url", generator.baseUrl(), "--model", "scripted",
                    "--scorer-url", "http://127.0.0.1:" + scoring.port(),
                    "--evaluate", "--compare", "--compare-n", "2,4", "--compare-widths", "2",
                    "--plot", plot.toString());

            assertEquals(0, exit, err.toString());
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("| greedy | 1 |"), printed);
            assertTrue(printed.contains("| best-of-n(n=4,selection=prm,aggregate=min) | 1 |"), printed);
            assertEquals(1, printed.split("\\| best-of-n\\(n=2,", -1).length - 1, printed);
            assertTrue(Files.size(plot) > 0);
        }
    }

    @Test
    void unknownStrategyIsRejected() {
        StringWriter err = new StringWriter();
        CommandLine command = StepwiseCommand.newCommandLine();
        command.setErr(new PrintWriter(err));
        int exit = command.execute("search", "--strategy", "bogus", "--problems", "/nonexistent/p.jsonl", "--out",
                dir.resolve("o.jsonl").toString(), "--generator-url", "http://127.0.0.1:1/v1", "--scorer-url",
                "http://127.0.0.1:1");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("unknown --strategy 'bogus', expected one of greedy, best-of-n, beam,"
                + " lookahead, dvts, adaptive"), err.toString());
    }

    private ScoringServer startScoring() throws Exception {
        Path prmDir = Files.createDirectories(dir.resolve("prm"));
        DemoTokenizer.write(prmDir);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(32).intermediateSize(64)
                .numHiddenLayers(2).numAttentionHeads(4).numKeyValueHeads(2).vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain",
                "hard", 0.5, null, 192);
        try (ProcessRewardModel model = ProcessRewardModel.create(DecoderModel.randomInit(config, 5, Device.cpu()),
                TextTokenizer.load(prmDir), card, 6)) {
            model.save(prmDir);
        }
        ServerConfig server = ServerConfig.builder().port(0).maxInputTokens(192).maxBatchTokens(2048).build();
        return ScoringServer.start(server, List.of(new ModelSource("tiny-prm", prmDir)), Device.cpu());
    }
}
