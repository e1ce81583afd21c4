package dev.stepwise.orm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.StepSegmenter.Segment;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.train.RewardTrainer;
import dev.stepwise.prm.train.TrainingConfig;
import dev.stepwise.prm.train.TrainingSummary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomeRewardModelTest {

    private static final long PAD_IS_EOS = DemoTokenizer.idOf(DemoTokenizer.EOS);

    @TempDir
    Path dir;

    private OutcomeRewardModel tinyOrm(Path folder, long seed) throws Exception {
        DemoTokenizer.write(folder);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(32).intermediateSize(64)
                .numHiddenLayers(2).numAttentionHeads(4).numKeyValueHeads(2).vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
        ModelCard card = new ModelCard(ModelCard.Task.ORM, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain",
                "outcome", 0.5, null, 256);
        return OutcomeRewardModel.create(DecoderModel.randomInit(config, seed, Device.cpu()),
                TextTokenizer.load(folder), card, seed + 1);
    }

    private static long[] ids(OutcomeRewardModel model, String text) {
        long[] encoded = model.tokenizer().encode(text).ids();
        long[] withEos = java.util.Arrays.copyOf(encoded, encoded.length + 1);
        withEos[encoded.length] = PAD_IS_EOS;
        return withEos;
    }

    /** Pads rows to one width with the end-of-sequence id, on the left or the right. */
    private static float[] scorePadded(OutcomeRewardModel model, List<long[]> rows, boolean left) {
        int width = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
        long[] ids = new long[rows.size() * width];
        long[] mask = new long[rows.size() * width];
        java.util.Arrays.fill(ids, PAD_IS_EOS);
        for (int r = 0; r < rows.size(); r++) {
            int offset = left ? width - rows.get(r).length : 0;
            System.arraycopy(rows.get(r), 0, ids, r * width + offset, rows.get(r).length);
            java.util.Arrays.fill(mask, r * width + offset, r * width + offset + rows.get(r).length, 1L);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            return model.scoreBatch(manager.create(ids, new Shape(rows.size(), width)),
                    manager.create(mask, new Shape(rows.size(), width)));
        }
    }

    @Test
    void lastTokenScoreIgnoresPaddingSide() throws Exception {
        try (OutcomeRewardModel model = tinyOrm(dir, 1)) {
            List<long[]> rows = List.of(ids(model, "Q: 1+1? A: 2"),
                    ids(model, "Q: 1+1? A: it is two, because one plus one is two"));
            float[] left = scorePadded(model, rows, true);
            float[] right = scorePadded(model, rows, false);
            for (int r = 0; r < rows.size(); r++) {
                float alone = scorePadded(model, List.of(rows.get(r)), false)[0];
                assertEquals(alone, left[r], 1e-5, "left-padded row " + r);
                assertEquals(alone, right[r], 1e-5, "right-padded row " + r);
                Segment segment = new Segment(rows.get(r), new int[] {rows.get(r).length - 1}, 1, 1, false, true);
                assertEquals(alone, model.scoreSegments(List.of(segment))[0], 1e-5, "segment " + r);
            }
            // The short row's score must not be the one at its padding: the two rows really differ.
            assertTrue(Math.abs(left[0] - left[1]) > 1e-6, "rows scored alike: " + left[0] + ", " + left[1]);
        }
    }

    @Test
    void folderLoadsBackWithSequenceClassificationNames() throws Exception {
        Path saved = dir.resolve("saved");
        float[] before;
        List<Segment> segments = new ArrayList<>();
        try (OutcomeRewardModel model = tinyOrm(dir.resolve("src"), 2)) {
            segments.add(model.segmenter().segmentAnswer("What is 2+3?", "2+3=5. The answer is 5."));
            segments.add(model.segmenter().segmentAnswer("What is 2+3?", "The answer is 6."));
            before = model.scoreSegments(segments);
            model.save(saved);
        }
        try (OutcomeRewardModel loaded = OutcomeRewardModel.load(saved, Device.cpu())) {
            assertArrayEquals(before, loaded.scoreSegments(segments));
        }
        assertEquals("LlamaForSequenceClassification",
                new ObjectMapper().readTree(saved.resolve("config.json").toFile()).get("architectures").get(0).asText());
        assertTrue(tensorNames(saved.resolve("model.safetensors")).contains("\"score.weight\""));
    }

    @Test
    void pointwiseAndPairwiseTrainingLowerTheLoss() throws Exception {
        try (OutcomeRewardModel model = tinyOrm(dir, 3)) {
            List<OutcomeExample> pointwise = new ArrayList<>();
            List<PreferencePair> pairs = new ArrayList<>();
            for (int a = 0; a < 8; a++) {
                long[] right = ids(model, a + "+1=" + (a + 1));
                long[] wrong = ids(model, a + "+1=" + (a + 3));
                pointwise.add(new OutcomeExample(right, 1f));
                pointwise.add(new OutcomeExample(wrong, 0f));
                pairs.add(new PreferencePair(right, wrong, 0f));
            }
            // Full-batch steps, so each step sees the same data and the loss falls steadily.
            TrainingConfig config = TrainingConfig.builder().lastLayers(1).batch(16, 1).learningRate(3e-3, 3e-3, 0)
                    .epochs(8).build();
            try (RewardTrainer<OutcomeExample> trainer = new RewardTrainer<>(config, model.trainingBackbone(),
                    HeadKind.SIGMOID, model.head(), OutcomeLosses.pointwise())) {
                TrainingSummary summary = trainer.train(pointwise);
                assertTrue(summary.lastLoss() < summary.losses().get(0), summary.losses().toString());
            }
            try (RewardTrainer<PreferencePair> trainer = new RewardTrainer<>(config, model.trainingBackbone(),
                    HeadKind.SIGMOID, model.head(), OutcomeLosses.bradleyTerry(0.01))) {
                TrainingSummary summary = trainer.train(pairs);
                assertTrue(summary.lastLoss() < summary.losses().get(0), summary.losses().toString());
            }
        }
    }

    private static String tensorNames(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            ByteBuffer header = ByteBuffer.allocate((int) length.flip().getLong());
            channel.read(header, 8);
            return new String(header.array(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
