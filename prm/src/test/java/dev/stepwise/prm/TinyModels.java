package dev.stepwise.prm;

import ai.djl.Device;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.demo.DemoTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/** Tiny Qwen2 backbones over the byte-level demo tokenizer (one token per ASCII character), for tests. */
public final class TinyModels {

    /** Separator token of the demo tokenizer. */
    public static final String SEPARATOR = DemoTokenizer.STEP_SEPARATOR;

    private TinyModels() {}

    public static ModelConfig config(int layers, int hidden) {
        return ModelConfig.builder(Architecture.QWEN2)
                .hiddenSize(hidden)
                .intermediateSize(hidden * 2)
                .numHiddenLayers(layers)
                .numAttentionHeads(4)
                .numKeyValueHeads(2)
                .vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
    }

    /** Returns a PRM card for the plain prompt format with the demo separator. */
    public static ModelCard card(HeadKind kind) {
        return new ModelCard(ModelCard.Task.PRM, kind, SEPARATOR, "plain", "hard", 0.5,
                kind == HeadKind.LM_LABEL_TOKENS ? LabelTokens.PLUS_MINUS : null, 256);
    }

    /** Writes the tokenizer into {@code dir} and builds a randomly initialised PRM with a new head. */
    public static ProcessRewardModel prm(Path dir, HeadKind kind, int layers, int hidden, long seed)
            throws IOException {
        DemoTokenizer.write(dir);
        TextTokenizer tokenizer = TextTokenizer.load(dir);
        DecoderModel backbone = DecoderModel.randomInit(config(layers, hidden), seed, Device.cpu());
        return ProcessRewardModel.create(backbone, tokenizer, card(kind), seed + 1);
    }
}
