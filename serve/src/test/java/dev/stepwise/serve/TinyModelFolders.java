package dev.stepwise.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes tiny reward model folders for tests: a randomly initialised two-layer Llama over the byte-level demo
 * tokenizer ({@code tokenizer.json} written by the test), a sigmoid head with standard-normal weights so that scores
 * spread over (0, 1), and {@code stepwise.json} with the plain prompt format and the {@code <step>} separator.
 */
final class TinyModelFolders {

    static final int MAX_TOKENS = 192;

    private TinyModelFolders() {}

    static ModelConfig config() {
        return ModelConfig.builder(Architecture.LLAMA)
                .hiddenSize(32)
                .intermediateSize(64)
                .numHiddenLayers(2)
                .numAttentionHeads(4)
                .numKeyValueHeads(2)
                .vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
    }

    static ModelCard card(ModelCard.Task task) {
        return new ModelCard(task, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain", "hard", 0.5, null,
                MAX_TOKENS);
    }

    /** Writes a PRM folder; with {@code nanHead} the head weights are NaN, so every score is non-finite. */
    static Path writePrm(Path dir, long seed, boolean nanHead) throws IOException {
        DemoTokenizer.write(dir);
        DecoderModel backbone = DecoderModel.randomInit(config(), seed, Device.cpu());
        try (ProcessRewardModel model = ProcessRewardModel.create(backbone, TextTokenizer.load(dir),
                card(ModelCard.Task.PRM), seed + 1)) {
            replaceHead(backbone, seed + 2, nanHead);
            model.save(dir);
        }
        return dir;
    }

    static Path writeOrm(Path dir, long seed) throws IOException {
        DemoTokenizer.write(dir);
        DecoderModel backbone = DecoderModel.randomInit(config(), seed, Device.cpu());
        try (OutcomeRewardModel model = OutcomeRewardModel.create(backbone, TextTokenizer.load(dir),
                card(ModelCard.Task.ORM), seed + 1)) {
            replaceHead(backbone, seed + 2, false);
            model.save(dir);
        }
        return dir;
    }

    private static void replaceHead(DecoderModel backbone, long seed, boolean nan) {
        NDArray old = backbone.weights().get("score.weight");
        NDArray head = nan
                ? backbone.manager().full(old.getShape(), Float.NaN, DataType.FLOAT32)
                : backbone.manager().create(gaussian(seed, (int) old.size()), old.getShape());
        backbone.putWeight("score.weight", head);
    }

    private static float[] gaussian(long seed, int size) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
