package dev.stepwise.cli.quickstart;

import ai.djl.Device;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.demo.DemoDataset;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.orm.OutcomeExample;
import dev.stepwise.orm.OutcomeLosses;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.train.MetricsJsonlListener;
import dev.stepwise.prm.train.ProgressListener;
import dev.stepwise.prm.train.RewardTrainer;
import dev.stepwise.prm.train.StepExample;
import dev.stepwise.prm.train.StepObjective;
import dev.stepwise.prm.train.TrainableScope;
import dev.stepwise.prm.train.TrainingConfig;
import dev.stepwise.prm.train.TrainingSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the demo PRM and ORM from random weights: a small Llama-style decoder over the demo
 * tokenizer with a one-logit sigmoid head, every weight trained.
 */
final class DemoModels {
    /**
     * Text between steps in the solution text the ORM reads. The search strategies send the ORM the
     * steps joined by their generation separator, which is this same text.
     */
    static final String ORM_STEP_JOINER = "\n\n";

    private static final Device DEVICE = Device.cpu();

    private DemoModels() {}

    /** Builds the model card of a demo PRM ({@code task} PRM) or ORM. */
    static ModelCard card(ModelCard.Task task) {
        return new ModelCard(task, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, DemoDataset.FORMAT.name(), "hard",
                0.5, null, DemoDataset.MAX_TOKENS);
    }

    /** Trains a PRM on {@code rows}, saves it to {@code dir} and returns the per-step losses. */
    static TrainingSummary trainPrm(QuickstartConfig config, Path tokenizerDir, List<StepRow> rows, Path dir)
            throws Exception {
        List<StepExample> examples = new ArrayList<>(rows.size());
        for (StepRow row : rows) {
            examples.add(new StepExample(row.inputIds(), row.scorePositions(), row.stepLabels()));
        }
        DecoderModel backbone = DecoderModel.randomInit(modelConfig(config.model()), config.seed(), DEVICE);
        try (ProcessRewardModel prm = ProcessRewardModel.create(backbone, TextTokenizer.load(tokenizerDir),
                card(ModelCard.Task.PRM), config.seed())) {
            TrainingSummary summary;
            try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(trainingConfig(config, config.prmSteps()),
                    prm.trainingBackbone(), HeadKind.SIGMOID, prm.head(), new StepObjective());
                    MetricsJsonlListener metrics = new MetricsJsonlListener(freshFile(dir.resolveSibling("prm-metrics.jsonl")))) {
                trainer.addListener(ProgressListener.forCurrentProcess()).addListener(metrics);
                summary = trainer.train(examples);
            }
            prm.save(dir);
            return summary;
        }
    }

    /**
     * Trains an ORM on {@code rows} (problem plus the steps joined by {@link #ORM_STEP_JOINER},
     * labelled by the outcome), saves it to {@code dir} and returns the per-step losses.
     */
    static TrainingSummary trainOrm(QuickstartConfig config, Path tokenizerDir, List<StepRow> rows, Path dir)
            throws Exception {
        DecoderModel backbone = DecoderModel.randomInit(modelConfig(config.model()), config.seed() + 1, DEVICE);
        try (OutcomeRewardModel orm = OutcomeRewardModel.create(backbone, TextTokenizer.load(tokenizerDir),
                card(ModelCard.Task.ORM), config.seed() + 1)) {
            StepSegmenter segmenter = orm.segmenter();
            List<OutcomeExample> examples = new ArrayList<>(rows.size());
            for (StepRow row : rows) {
                if (row.outcomeLabel() != null) {
                    long[] ids = segmenter.segmentAnswer(row.problem(), String.join(ORM_STEP_JOINER, row.steps()))
                            .inputIds();
                    examples.add(new OutcomeExample(ids, row.outcomeLabel()));
                }
            }
            TrainingSummary summary;
            try (RewardTrainer<OutcomeExample> trainer = new RewardTrainer<>(trainingConfig(config, config.ormSteps()),
                    orm.trainingBackbone(), HeadKind.SIGMOID, orm.head(), OutcomeLosses.pointwise());
                    MetricsJsonlListener metrics = new MetricsJsonlListener(freshFile(dir.resolveSibling("orm-metrics.jsonl")))) {
                trainer.addListener(ProgressListener.forCurrentProcess()).addListener(metrics);
                summary = trainer.train(examples);
            }
            orm.save(dir);
            return summary;
        }
    }

    static ProcessRewardModel loadPrm(Path dir) throws IOException {
        return ProcessRewardModel.load(dir, DEVICE);
    }

    static OutcomeRewardModel loadOrm(Path dir) throws IOException {
        return OutcomeRewardModel.load(dir, DEVICE);
    }

    static ModelConfig modelConfig(QuickstartConfig.ModelShape shape) {
        return ModelConfig.builder(Architecture.LLAMA)
                .hiddenSize(shape.hiddenSize())
                .intermediateSize(3 * shape.hiddenSize())
                .numHiddenLayers(shape.layers())
                .numAttentionHeads(shape.heads())
                .numKeyValueHeads(shape.heads())
                .vocabSize(DemoTokenizer.VOCAB_SIZE)
                .set("max_position_embeddings", DemoDataset.MAX_TOKENS)
                .set("pad_token_id", DemoTokenizer.idOf(DemoTokenizer.PAD))
                .set("eos_token_id", DemoTokenizer.idOf(DemoTokenizer.EOS))
                .build();
    }

    /** Builds the training settings: every weight trained, warm-up over the first 5% of steps, cosine decay to a tenth of the peak. */
    private static TrainingConfig trainingConfig(QuickstartConfig config, int steps) {
        return TrainingConfig.builder()
                .scope(TrainableScope.ALL)
                .epochs(1_000)
                .maxSteps(steps)
                .batch(config.batchSize(), 1)
                .learningRate(config.learningRate(), config.learningRate() / 10, Math.max(1, steps / 20))
                .weightDecay(0.01)
                .maxGradNorm(1.0)
                .seed(config.seed())
                .build();
    }

    private static Path freshFile(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        return file;
    }
}
