package dev.stepwise.serve.search;

import ai.djl.Device;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes randomly initialised Llama PRM folders over the byte-level demo tokenizer. */
final class PrmFolders {

    private PrmFolders() {}

    /** Two layers, hidden size 32. */
    static ModelConfig tinyConfig() {
        return config(32, 64, 2, 4, 2);
    }

    static ModelConfig config(int hidden, int intermediate, int layers, int heads, int kvHeads) {
        return ModelConfig.builder(Architecture.LLAMA)
                .hiddenSize(hidden)
                .intermediateSize(intermediate)
                .numHiddenLayers(layers)
                .numAttentionHeads(heads)
                .numKeyValueHeads(kvHeads)
                .vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
    }

    /** Writes a PRM with a sigmoid head, the plain prompt format and {@code maxTokens} input tokens. */
    static Path write(Path dir, ModelConfig config, int maxTokens) throws IOException {
        Files.createDirectories(dir);
        DemoTokenizer.write(dir);
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain",
                "hard", 0.5, null, maxTokens);
        DecoderModel backbone = DecoderModel.randomInit(config, 5, Device.cpu());
        try (ProcessRewardModel model = ProcessRewardModel.create(backbone, TextTokenizer.load(dir), card, 6)) {
            model.save(dir);
        }
        return dir;
    }
}
