package dev.stepwise.prm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.prm.eval.BinaryMetrics;
import dev.stepwise.prm.train.RewardTrainer;
import dev.stepwise.prm.train.StepExample;
import dev.stepwise.prm.train.StepObjective;
import dev.stepwise.prm.train.TrainableScope;
import dev.stepwise.prm.train.TrainingConfig;
import dev.stepwise.prm.train.TrainingSummary;
import dev.stepwise.dataset.StepSegmenter.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A from-scratch two-layer model (hidden 64) with a sigmoid head learns to flag wrong single-digit additions on
 * traces it never saw: 300 traces of 8 steps, 16 epochs of batch 16, 13 s on one engine thread of a loaded machine.
 */
class PrmLearningTest {

    @TempDir
    Path dir;

    @Test
    void smallModelFlagsWrongArithmeticSteps() throws Exception {
        List<ArithmeticTraces.Trace> train = ArithmeticTraces.generate(300, 8, 0.5, 1);
        List<ArithmeticTraces.Trace> heldOut = ArithmeticTraces.generate(100, 8, 0.5, 2);
        try (ProcessRewardModel model = TinyModels.prm(dir, HeadKind.SIGMOID, 2, 64, 3)) {
            TrainingConfig config = TrainingConfig.builder().scope(TrainableScope.ALL).batch(16, 1)
                    .learningRate(3e-3, 1e-4, 20).epochs(16).maxGradNorm(1.0).build();
            long start = System.nanoTime();
            TrainingSummary summary;
            try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(config, model.trainingBackbone(),
                    model.card().headKind(), model.head(), new StepObjective())) {
                summary = trainer.train(ArithmeticTraces.examples(train, model.segmenter()));
            }
            List<Segment> segments = new ArrayList<>();
            for (ArithmeticTraces.Trace trace : heldOut) {
                segments.add(model.segmenter().segment(trace.problem(), trace.steps()));
            }
            float[][] scores = model.scoreSegments(segments);
            int per = heldOut.get(0).steps().size();
            int steps = heldOut.size() * per;
            float[] flat = new float[steps];
            boolean[] correct = new boolean[steps];
            for (int t = 0; t < heldOut.size(); t++) {
                for (int s = 0; s < per; s++) {
                    flat[t * per + s] = scores[t][s];
                    correct[t * per + s] = heldOut.get(t).labels()[s] == 1f;
                }
            }
            double auc = BinaryMetrics.rocAuc(flat, correct);
            org.slf4j.LoggerFactory.getLogger(PrmLearningTest.class).warn(String.format("steps %d, first loss %.4f, last loss %.4f, held-out step AUC %.4f, %.1f s",
                    summary.steps(), summary.losses().get(0), summary.lastLoss(), auc,
                    (System.nanoTime() - start) / 1e9));
            assertTrue(auc >= 0.9, "held-out step AUC " + auc + " is below 0.9; losses " + summary.losses());
        }
    }
}
