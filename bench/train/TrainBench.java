import ai.djl.Device;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.internal.HeadMath;
import dev.stepwise.prm.train.Backbone;
import dev.stepwise.prm.train.RewardTrainer;
import dev.stepwise.prm.train.StepExample;
import dev.stepwise.prm.train.StepObjective;
import dev.stepwise.prm.train.TrainableScope;
import dev.stepwise.prm.train.TrainingConfig;
import dev.stepwise.prm.train.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Full fine-tuning throughput of RewardTrainer on the 25.3M-parameter Llama of the core benchmark (hidden 512,
 * 8 layers, 8 heads, 4 key/value heads, intermediate 1376, vocabulary 4096, tied embeddings) with a sigmoid step
 * head, AdamW and global-norm clipping. Random token ids, a score position every 32 tokens, random 0/1 labels.
 *
 * Usage: java -cp CLASSPATH TrainBench.java BATCH TOKENS STEPS
 * Prints tokens/s over the steps after the first (warm-up) step.
 */
public class TrainBench {
    public static void main(String[] args) throws Exception {
        int batch = Integer.parseInt(args[0]);
        int tokens = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(512).intermediateSize(1376)
                .numHiddenLayers(8).numAttentionHeads(8).numKeyValueHeads(4).vocabSize(4096)
                .tieWordEmbeddings(true).build();
        Random random = new Random(1);
        List<StepExample> examples = new ArrayList<>();
        for (int i = 0; i < batch * (steps + 1); i++) {
            long[] ids = new long[tokens];
            for (int t = 0; t < tokens; t++) {
                ids[t] = random.nextInt(4096);
            }
            int[] positions = new int[tokens / 32];
            float[] labels = new float[positions.length];
            for (int s = 0; s < positions.length; s++) {
                positions[s] = 32 * s + 31;
                labels[s] = random.nextBoolean() ? 1f : 0f;
            }
            examples.add(new StepExample(ids, positions, labels));
        }
        try (DecoderModel model = DecoderModel.randomInit(config, 1, Device.cpu())) {
            Map<String, ai.djl.ndarray.NDArray> head = HeadMath.initialize(HeadKind.SIGMOID, 512, 2, model.manager());
            head.forEach(model::putWeight);
            head = Map.of("score.weight", model.weights().get("score.weight"));
            Backbone backbone = new Backbone() {
                public int hiddenSize() { return 512; }
                public int layerCount() { return 8; }
                public Map<String, ai.djl.ndarray.NDArray> weights() { return model.weights(); }
                public ai.djl.ndarray.NDArray hiddenStates(ai.djl.ndarray.NDArray ids, ai.djl.ndarray.NDArray mask) {
                    return model.hiddenStates(ids, mask);
                }
            };
            System.out.println("parameters: " + model.parameterCount());
            TrainingConfig warmup = TrainingConfig.builder().scope(TrainableScope.ALL).batch(batch, 1)
                    .learningRate(1e-4, 1e-4, 0).maxSteps(1).build();
            try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(warmup, backbone, HeadKind.SIGMOID, head,
                    new StepObjective())) {
                trainer.train(examples.subList(0, batch));
            }
            TrainingConfig timed = TrainingConfig.builder().scope(TrainableScope.ALL).batch(batch, 1)
                    .learningRate(1e-4, 1e-4, 0).maxSteps(steps).build();
            try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(timed, backbone, HeadKind.SIGMOID, head,
                    new StepObjective())) {
                TrainingSummary summary = trainer.train(examples.subList(batch, examples.size()));
                double seconds = summary.elapsedNanos() / 1e9;
                System.out.printf("djl: batch %d x %d tokens, %d steps, %.2f s/step, %.1f tokens/s, last loss %.4f%n",
                        batch, tokens, summary.steps(), seconds / summary.steps(), summary.tokens() / seconds,
                        summary.lastLoss());
            }
        }
    }
}
