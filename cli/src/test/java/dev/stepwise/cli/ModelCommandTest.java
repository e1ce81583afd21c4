package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelCommandTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private static ModelConfig prmConfig() {
        return ModelConfig.builder(Architecture.QWEN2)
                .hiddenSize(16)
                .intermediateSize(24)
                .numHiddenLayers(1)
                .numAttentionHeads(2)
                .numKeyValueHeads(1)
                .vocabSize(8)
                .architectureClass("Qwen2ForProcessRewardModel")
                .set("eos_token_id", 7)
                .build();
    }

    @Test
    void infoListsHeadsAndSpecialTokens() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(prmConfig(), 1, Device.cpu())) {
            model.save(temp);
        }
        Files.writeString(temp.resolve("tokenizer.json"), """
                {"added_tokens": [{"id": 7, "content": "<|end|>", "special": true}, {"id": 6, "content": "ки", "special": false}],
                 "model": {"type": "WordLevel", "vocab": {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "f": 5}}}""");
        Files.writeString(temp.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|end|>\", \"pad_token\": null}");

        assertEquals(0, run("model", "info", temp.toString()), err.toString());

        // parameters: embeddings 8*16 + layer (norms 2*16, q 16*16+16, k and v 2*(8*16+8), o 16*16, MLP 3*24*16)
        // + final norm 16 + PRM head (16*16+16 + 2*16+2) = 128 + 1984 + 16 + 306
        String expected = String.join(System.lineSeparator(),
                "model:           " + temp,
                "architecture:    QWEN2 [Qwen2ForProcessRewardModel]",
                "parameters:      2434",
                "dtype:           F32 (2434 parameters); config.json torch_dtype float32",
                "shape:           1 layers, hidden 16, intermediate 24, 2 heads of 8, 1 key/value heads, vocabulary 8",
                "heads:           score.0.bias [16], score.0.weight [16, 16], score.2.bias [2], score.2.weight [2, 16]",
                "tokenizer:       tokenizer.json, WordLevel, 6 vocabulary entries + 2 added tokens",
                "special tokens:  eos <|end|> = 7; 1 special added tokens: <|end|>=7",
                "");
        assertEquals(expected, out.toString());
    }

    @Test
    void logitsMatchLibraryForward() throws Exception {
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(16).intermediateSize(24)
                .numHiddenLayers(1).numAttentionHeads(2).numKeyValueHeads(1).vocabSize(8).build();
        float[] expected;
        try (DecoderModel model = DecoderModel.randomInit(config, 3, Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            model.save(temp);
            NDArray ids = manager.create(new long[] {1, 4, 7}).reshape(1, 3);
            expected = model.lmLogits(model.hiddenStates(ids, manager.ones(ids.getShape(), DataType.INT64))).toFloatArray();
        }

        assertEquals(0, run("model", "logits", "--model", temp.toString(), "--input-ids", "1,4,7"), err.toString());

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals("[1,4,7]", json.get("input_ids").toString());
        assertEquals(3, json.get("logits").size());
        float[] printed = new float[24];
        for (int position = 0; position < 3; position++) {
            assertEquals(8, json.get("logits").get(position).size());
            for (int token = 0; token < 8; token++) {
                printed[position * 8 + token] = json.get("logits").get(position).get(token).floatValue();
            }
        }
        assertArrayEquals(expected, printed, 0f);
    }

    @Test
    void logitsRejectsTokenOutsideVocabulary() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(prmConfig(), 1, Device.cpu())) {
            model.save(temp);
        }
        assertEquals(1, run("model", "logits", "--model", temp.toString(), "--input-ids", "1,9"));
        assertEquals("stepwise model logits: --input-ids: id 9 at index 1 is outside the vocabulary of " + temp
                + "; expected an id in [0, 8)" + System.lineSeparator(), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void infoAcceptsModelOption() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(prmConfig(), 1, Device.cpu())) {
            model.save(temp);
        }
        assertEquals(0, run("model", "info", temp.toString(), "--json"), err.toString());
        String positional = out.toString();
        out.getBuffer().setLength(0);

        assertEquals(0, run("model", "info", "--model", temp.toString(), "--json"), err.toString());

        assertEquals(positional, out.toString());
    }

    @Test
    void logitsAcceptsPositionalFolder() throws Exception {
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(16).intermediateSize(24)
                .numHiddenLayers(1).numAttentionHeads(2).numKeyValueHeads(1).vocabSize(8).build();
        try (DecoderModel model = DecoderModel.randomInit(config, 3, Device.cpu())) {
            model.save(temp);
        }
        assertEquals(0, run("model", "logits", "--model", temp.toString(), "--input-ids", "1,4"), err.toString());
        String withOption = out.toString();
        out.getBuffer().setLength(0);

        assertEquals(0, run("model", "logits", temp.toString(), "--input-ids", "1,4"), err.toString());

        assertEquals(withOption, out.toString());
    }

    @Test
    void modelFolderGivenTwiceOrNeverFails() {
        // logits also needs --input-ids, so that a missing option is not what fails.
        for (List<String> command : List.of(List.of("model", "info"), List.of("model", "logits", "--input-ids", "1"))) {
            List<String> twice = new ArrayList<>(command);
            twice.addAll(List.of("a", "--model", "b"));
            err.getBuffer().setLength(0);
            assertEquals(2, run(twice.toArray(String[]::new)), command.toString());
            assertTrue(err.toString().startsWith("model folder given twice, as DIR (a) and with --model (b); "
                    + "give only one"), command + ": " + err);

            err.getBuffer().setLength(0);
            assertEquals(2, run(command.toArray(String[]::new)), command.toString());
            assertTrue(err.toString().startsWith("missing model folder; give it as DIR or with --model DIR"),
                    command + ": " + err);
        }
    }

    @Test
    void infoOnFolderWithoutConfigFails() {
        assertEquals(1, run("model", "info", temp.toString()));
        assertEquals("stepwise model info: " + temp.resolve("config.json")
                + ": not found; a model folder needs the config.json of a Hugging Face checkpoint" + System.lineSeparator(),
                err.toString());
    }
}
