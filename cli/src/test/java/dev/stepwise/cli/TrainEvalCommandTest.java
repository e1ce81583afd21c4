package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.prm.ModelCard;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code stepwise train} and {@code stepwise eval} on a generated Arrow dataset and a tiny random backbone. */
class TrainEvalCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        return commandLine.execute(args);
    }

    /** Writes a backbone folder (config.json and the demo tokenizer) and a dataset of single-digit additions. */
    private Path prepare(Path backbone, Path arrow) throws Exception {
        DemoTokenizer.write(backbone);
        ModelConfig config = ModelConfig.builder(Architecture.QWEN2).hiddenSize(32).intermediateSize(64)
                .numHiddenLayers(1).numAttentionHeads(4).numKeyValueHeads(2).vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
        Files.writeString(backbone.resolve("config.json"), new ObjectMapper().writeValueAsString(config.toJson()));
        Random random = new Random(4);
        try (TextTokenizer tokenizer = TextTokenizer.load(backbone)) {
            StepSegmenter segmenter = new StepSegmenter(tokenizer, PromptFormat.plain(), DemoTokenizer.STEP_SEPARATOR,
                    256);
            StepDatasetMetadata metadata = new StepDatasetMetadata("test/additions", tokenizer.sha256(),
                    DemoTokenizer.STEP_SEPARATOR, segmenter.separatorId(), "plain", LabelPolicy.sourceConvention(),
                    Map.of());
            try (StepDatasetWriter writer = StepDatasetWriter.create(arrow, metadata, false)) {
                for (int i = 0; i < 12; i++) {
                    List<String> steps = new ArrayList<>();
                    float[] labels = new float[3];
                    for (int s = 0; s < 3; s++) {
                        int a = random.nextInt(5);
                        int b = random.nextInt(5);
                        boolean wrong = random.nextBoolean();
                        steps.add(a + "+" + b + "=" + (a + b + (wrong ? 3 : 0)));
                        labels[s] = wrong ? 0f : 1f;
                    }
                    StepSegmenter.Segment segment = segmenter.segment("Add.", steps);
                    float outcome = labels[2];
                    writer.write(new StepRow("row-" + i, "test/additions", "Add.", steps, segment.inputIds(),
                            segment.scorePositions(), labels, outcome, null, null, List.of(), null, null));
                }
                writer.commit();
            }
        }
        return arrow;
    }

    @Test
    void trainThenEvalPrm() throws Exception {
        Path backbone = dir.resolve("backbone");
        Path arrow = prepare(backbone, dir.resolve("train.arrow"));
        Path model = dir.resolve("prm");

        int trained = run("train", "prm", "--data", arrow.toString(), "--validation", arrow.toString(), "--model",
                backbone.toString(), "--random-init", "--out", model.toString(), "--head", "two-class", "--train",
                "all", "--epochs", "2", "--batch-size", "4", "--checkpoint-every", "2");
        assertEquals(0, trained, out.toString());
        assertTrue(out.toString().contains("trained 6 steps"), out.toString());
        assertTrue(out.toString().contains("ProcessBench F1"), out.toString());
        assertEquals(6, Files.readAllLines(model.resolve("metrics.jsonl")).size());
        assertTrue(Files.isDirectory(model.resolve("checkpoints/checkpoint-00000006")));
        ModelCard card = ModelCard.read(model);
        assertEquals("plain", card.promptFormat());
        assertEquals(DemoTokenizer.STEP_SEPARATOR, card.stepSeparator());

        int evaluated = run("eval", "prm", "--model", model.toString(), "--data", arrow.toString());
        assertEquals(0, evaluated, out.toString());
        assertTrue(out.toString().contains("rows 12, labelled steps 36"), out.toString());
    }

    @Test
    void trainThenEvalOrm() throws Exception {
        Path backbone = dir.resolve("backbone");
        Path arrow = prepare(backbone, dir.resolve("train.arrow"));
        Path model = dir.resolve("orm");

        assertEquals(0, run("train", "orm", "--data", arrow.toString(), "--model", backbone.toString(),
                "--random-init", "--out", model.toString(), "--epochs", "1", "--batch-size", "6"), out.toString());
        assertEquals(ModelCard.Task.ORM, ModelCard.read(model).task());
        assertEquals(0, run("eval", "orm", "--model", model.toString(), "--data", arrow.toString()), out.toString());
        assertTrue(out.toString().contains("answers 12"), out.toString());
    }
}
