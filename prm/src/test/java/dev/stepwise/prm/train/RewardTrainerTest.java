package dev.stepwise.prm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.stepwise.prm.ArithmeticTraces;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.TinyModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardTrainerTest {

    @TempDir
    Path dir;

    private static List<StepExample> examples(ProcessRewardModel model, int count) {
        return ArithmeticTraces.examples(ArithmeticTraces.generate(count, 3, 0.4, 7), model.segmenter());
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> weights) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        weights.forEach((name, array) -> copy.put(name, array.toFloatArray()));
        return copy;
    }

    private static TrainingSummary train(ProcessRewardModel model, TrainingConfig config, List<StepExample> data,
            TrainingListener... listeners) throws Exception {
        try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(config, model.trainingBackbone(),
                model.card().headKind(), model.head(), new StepObjective())) {
            for (TrainingListener listener : listeners) {
                trainer.addListener(listener);
            }
            return trainer.train(data);
        }
    }

    @Test
    void headOnlyLowersLossAndKeepsBackboneBitIdentical() throws Exception {
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.TWO_CLASS, 2, 32, 1)) {
            List<StepExample> data = examples(model, 8);
            Map<String, float[]> backboneBefore = new LinkedHashMap<>(snapshot(model.backbone().weights()));
            HeadKind.TWO_CLASS.tensorNames().forEach(backboneBefore::remove);
            Map<String, float[]> headBefore = snapshot(model.head());
            TrainingConfig config = TrainingConfig.builder().batch(8, 1).learningRate(1e-2, 1e-2, 0).epochs(8).build();

            TrainingSummary summary = train(model, config, data);

            assertEquals(8, summary.steps());
            assertTrue(summary.lastLoss() < summary.losses().get(0),
                    "loss did not fall: " + summary.losses());
            headBefore.forEach((name, before) -> assertFalse(
                    Arrays.equals(before, model.head().get(name).toFloatArray()), name + " did not change"));
            backboneBefore.forEach((name, before) -> assertArrayEquals(before,
                    model.backbone().weights().get(name).toFloatArray(), name + " changed"));
        }
    }

    @Test
    void allLayersChangesEveryTrainableWeight() throws Exception {
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.SIGMOID, 2, 32, 2)) {
            List<StepExample> data = examples(model, 4);
            TrainingConfig config = TrainingConfig.builder().scope(TrainableScope.ALL).batch(4, 1)
                    .learningRate(1e-3, 1e-3, 0).epochs(2).build();
            Map<String, float[]> before = snapshot(model.backbone().weights());
            List<String> trained;
            try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(config, model.trainingBackbone(),
                    HeadKind.SIGMOID, model.head(), new StepObjective())) {
                trained = trainer.trainableNames();
                TrainingSummary summary = trainer.train(data);
                assertTrue(summary.lastLoss() < summary.losses().get(0), "loss did not fall: " + summary.losses());
            }
            assertEquals(before.size() - 1, trained.size(), "all weights but lm_head.weight: " + trained);
            for (String name : trained) {
                assertFalse(Arrays.equals(before.get(name), model.backbone().weights().get(name).toFloatArray()),
                        name + " did not change");
            }
            assertArrayEquals(before.get("lm_head.weight"),
                    model.backbone().weights().get("lm_head.weight").toFloatArray());
        }
    }

    @Test
    void accumulationMatchesOneLargeBatch() throws Exception {
        List<Double> oneBatch;
        List<Double> accumulated;
        float[] headOneBatch;
        float[] headAccumulated;
        TrainingConfig.Builder base = TrainingConfig.builder().lastLayers(1).learningRate(5e-3, 0, 1).epochs(3);
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("a"), HeadKind.TWO_CLASS, 2, 32, 3)) {
            oneBatch = train(model, base.batch(8, 1).build(), examples(model, 8)).losses();
            headOneBatch = model.head().get("score.2.weight").toFloatArray();
        }
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("b"), HeadKind.TWO_CLASS, 2, 32, 3)) {
            accumulated = train(model, base.batch(2, 4).build(), examples(model, 8)).losses();
            headAccumulated = model.head().get("score.2.weight").toFloatArray();
        }
        assertEquals(3, oneBatch.size());
        for (int i = 0; i < oneBatch.size(); i++) {
            assertEquals(oneBatch.get(i), accumulated.get(i), 1e-5, "loss of step " + (i + 1));
        }
        assertArrayEquals(headOneBatch, headAccumulated, 1e-5f);
    }

    @Test
    void resumeAfterKillGivesSameResults() throws Exception {
        TrainingConfig config = TrainingConfig.builder().lastLayers(1).batch(2, 1).learningRate(5e-3, 1e-4, 1)
                .epochs(3).seed(5).build();
        List<Double> uninterrupted;
        Map<String, float[]> expected;
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("a"), HeadKind.TWO_CLASS, 2, 32, 4)) {
            uninterrupted = train(model, config, examples(model, 4)).losses();
            expected = snapshot(model.backbone().weights());
        }
        assertEquals(6, uninterrupted.size());

        Path checkpoints = dir.resolve("checkpoints");
        TrainingListener kill = new TrainingListener() {
            @Override
            public void onStepEnd(StepReport report, Checkpointer checkpointer) {
                if (report.step() == 4) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("b"), HeadKind.TWO_CLASS, 2, 32, 4)) {
            assertThrows(IllegalStateException.class, () -> train(model, config, examples(model, 4),
                    new CheckpointListener(checkpoints, 3), kill));
        }
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("c"), HeadKind.TWO_CLASS, 2, 32, 4);
                RewardTrainer<StepExample> trainer = new RewardTrainer<>(config, model.trainingBackbone(),
                        HeadKind.TWO_CLASS, model.head(), new StepObjective())) {
            assertEquals(3, trainer.resume(checkpoints));
            TrainingSummary resumed = trainer.train(examples(model, 4));
            assertEquals(6, resumed.steps());
            assertEquals(uninterrupted.subList(3, 6), resumed.losses());
            expected.forEach((name, values) -> assertArrayEquals(values,
                    model.backbone().weights().get(name).toFloatArray(), name));
        }
    }

    @Test
    void cachedHiddenStatesGiveSameLosses() throws Exception {
        TrainingConfig.Builder base = TrainingConfig.builder().batch(4, 1).learningRate(1e-2, 0, 0).epochs(3);
        List<Double> direct;
        List<Double> cached;
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("a"), HeadKind.SIGMOID, 2, 32, 6)) {
            direct = train(model, base.build(), examples(model, 8)).losses();
        }
        try (ProcessRewardModel model = TinyModels.prm(dir.resolve("b"), HeadKind.SIGMOID, 2, 32, 6)) {
            cached = train(model, base.cacheHiddenStates(true).build(), examples(model, 8)).losses();
        }
        assertEquals(direct.size(), cached.size());
        for (int i = 0; i < direct.size(); i++) {
            assertEquals(direct.get(i), cached.get(i), 1e-5, "loss of step " + (i + 1));
        }
    }

    @Test
    void divergenceGuardNamesEpochAndStep() {
        DivergenceGuard guard = new DivergenceGuard(100);
        guard.beforeUpdate(new StepReport(0, 1, 10, 0.7, 1.0, 1e-3, 100, 1));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> guard.beforeUpdate(new StepReport(1, 7, 10, Double.NaN, 1.0, 1e-3, 100, 1)));
        assertEquals(1, e.epoch());
        assertEquals(7, e.step());
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, step 7: loss NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("last finite loss 0.7"), e.getMessage());
    }
}
