package dev.stepwise.prm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.StepSegmenter.Segment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRewardModelTest {

    @TempDir
    Path dir;

    private static List<Segment> segments(ProcessRewardModel model) {
        return List.of(
                model.segmenter().segment("Add.", List.of("1+2=3", "3+4=8")),
                model.segmenter().segment("Add the numbers below.", List.of("9+9=18", "1+1=2", "5+0=5")));
    }

    private static JsonNode config(Path folder) throws Exception {
        return new ObjectMapper().readTree(folder.resolve("config.json").toFile());
    }

    @Test
    void twoClassFolderLoadsBackAndScoresIdentically() throws Exception {
        Path saved = dir.resolve("saved");
        float[][] before;
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("src"), HeadKind.TWO_CLASS, 2, 32, 11)) {
            before = model.scoreSegments(segments(model));
            model.save(saved);
        }
        try (ProcessRewardModel loaded = ProcessRewardModel.load(saved, Device.cpu())) {
            assertEquals(TinyModels.card(HeadKind.TWO_CLASS), loaded.card());
            float[][] after = loaded.scoreSegments(segments(loaded));
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], "segment " + i);
            }
        }
        Set<String> names = SafetensorsNames.read(saved.resolve("model.safetensors"));
        assertTrue(names.containsAll(List.of("score.0.weight", "score.0.bias", "score.2.weight", "score.2.bias")),
                names.toString());
        assertEquals("Qwen2ForProcessRewardModel", config(saved).get("architectures").get(0).asText());
        assertEquals(2, config(saved).get("num_labels").asInt());
    }

    @Test
    void sigmoidHeadUsesSequenceClassificationNames() throws Exception {
        Path saved = dir.resolve("saved");
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("src"), HeadKind.SIGMOID, 1, 32, 12)) {
            model.save(saved);
        }
        Set<String> names = SafetensorsNames.read(saved.resolve("model.safetensors"));
        assertTrue(names.contains("score.weight"), names.toString());
        assertEquals("Qwen2ForSequenceClassification", config(saved).get("architectures").get(0).asText());
        assertEquals(1, config(saved).get("num_labels").asInt());
    }

    @Test
    void scoresDoNotDependOnBatchPartners() throws Exception {
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.TWO_CLASS, 2, 32, 13)) {
            List<Segment> both = segments(model);
            float[][] batched = model.scoreSegments(both);
            for (int i = 0; i < both.size(); i++) {
                float[] alone = model.scoreSegments(List.of(both.get(i)))[0];
                assertArrayEquals(alone, batched[i], 1e-5f, "segment " + i);
                assertEquals(both.get(i).scorePositions().length, alone.length);
            }
        }
    }

    @Test
    void incrementalPathMatchesBatchedScores() throws Exception {
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.SIGMOID, 2, 32, 14);
                NDManager manager = NDManager.newBaseManager()) {
            Segment segment = segments(model).get(1);
            long[] ids = segment.inputIds();
            NDArray hidden = model.backbone().hiddenStates(manager.create(ids, new Shape(1, ids.length)),
                    manager.ones(new Shape(1, ids.length), ai.djl.ndarray.types.DataType.INT64));
            float[] incremental = model.scoreAtPositions(hidden, segment.scorePositions());
            assertArrayEquals(model.scoreSegments(List.of(segment))[0], incremental, 1e-6f);
        }
    }

    @Test
    void labelTokenHeadReadsNextTokenDistributionAtTag() throws Exception {
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.LM_LABEL_TOKENS, 2, 32, 15);
                NDManager manager = NDManager.newBaseManager()) {
            Segment segment = model.segmenter().segment("Add.", List.of("1+2=3", "3+4=8"));
            float[] scores = model.scoreSegments(List.of(segment))[0];

            // Expected: softmax over the full vocabulary at the tag position, then p(+) / (p(+) + p(-)).
            long[] ids = segment.inputIds();
            NDArray hidden = model.backbone().hiddenStates(manager.create(ids, new Shape(1, ids.length)),
                    manager.ones(new Shape(1, ids.length), ai.djl.ndarray.types.DataType.INT64));
            float[] probabilities = model.backbone().lmLogits(hidden).softmax(-1).toFloatArray();
            int vocab = model.backbone().config().vocabSize();
            for (int s = 0; s < scores.length; s++) {
                int position = segment.scorePositions()[s];
                double plus = probabilities[position * vocab + '+'];
                double minus = probabilities[position * vocab + '-'];
                assertEquals(plus / (plus + minus), scores[s], 1e-5, "step " + s);
            }

            // Tokens after the tag do not change its score; the tag token itself does.
            long[] extended = Arrays.copyOf(ids, ids.length + 2);
            extended[ids.length] = '+';
            extended[ids.length + 1] = 'x';
            Segment longer = new Segment(extended, segment.scorePositions(), 2, 2, false, true);
            assertArrayEquals(scores, model.scoreSegments(List.of(longer))[0], 1e-6f);
        }
    }

    private float labelTokenScore(LabelTokens tokens) throws Exception {
        dev.stepwise.dataset.demo.DemoTokenizer.write(dir);
        DecoderModel backbone = DecoderModel.randomInit(TinyModels.config(1, 32), 16, Device.cpu());
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.LM_LABEL_TOKENS, TinyModels.SEPARATOR, "plain",
                "soft", 0.5, tokens, 256);
        try (ProcessRewardModel model = ProcessRewardModel.create(backbone, TextTokenizer.load(dir), card, 1)) {
            return model.scoreSegments(List.of(model.segmenter().segment("Add.", List.of("1+2=3"))))[0][0];
        }
    }

    @Test
    void labelPolarityFollowsRoleNotListOrder() throws Exception {
        float plusIsPositive = labelTokenScore(LabelTokens.PLUS_MINUS);
        float listedMinusFirst = labelTokenScore(LabelTokens.fromList(List.of("-", "+"), "+"));
        float minusIsPositive = labelTokenScore(new LabelTokens("-", "+"));
        assertEquals(plusIsPositive, listedMinusFirst, 0f);
        assertEquals(1 - plusIsPositive, minusIsPositive, 1e-6);
    }

    @Test
    void nonFiniteScoreIsAnError() throws Exception {
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.SIGMOID, 1, 32, 17)) {
            float[] nan = new float[32];
            Arrays.fill(nan, Float.NaN);
            model.head().get("score.weight").set(nan);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> model.scoreSegments(segments(model)));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
    }
}
