package dev.stepwise.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.arrow.PairDatasetReader;
import dev.stepwise.dataset.arrow.PairRow;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepDatasetSchema;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.orm.OutcomeExample;
import dev.stepwise.orm.OutcomeLosses;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.orm.PreferencePair;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.LabelTokens;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.eval.PrmEvaluation;
import dev.stepwise.prm.eval.ProcessBench;
import dev.stepwise.prm.train.Backbone;
import dev.stepwise.prm.train.CheckpointListener;
import dev.stepwise.prm.train.DivergenceGuard;
import dev.stepwise.prm.train.MetricsJsonlListener;
import dev.stepwise.prm.train.ProgressListener;
import dev.stepwise.prm.train.RewardObjective;
import dev.stepwise.prm.train.RewardTrainer;
import dev.stepwise.prm.train.StepExamples;
import dev.stepwise.prm.train.StepObjective;
import dev.stepwise.prm.train.TrainableScope;
import dev.stepwise.prm.train.TrainingConfig;
import dev.stepwise.prm.train.TrainingSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepwise train prm|orm}: fine-tunes a reward head on an Arrow dataset and writes a model folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Trains a PRM or ORM on the Arrow files that 'stepwise dataset' writes.",
            "Fine-tunes a head (and optionally backbone layers) and writes a Hugging Face model folder plus",
            "stepwise.json into --out. A PRM's decision threshold is swept on --validation (ProcessBench F1)",
            "and saved with the model.",
            "Example: stepwise train prm --data splits/train.arrow --validation splits/validation.arrow \\",
            "           --model Qwen2.5-0.5B --out prm-out --train head --epochs 2"})
public final class TrainCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "prm or orm.")
    String task;

    @Option(names = "--data", required = true,
            description = "Training data: a step dataset (.arrow) or, for 'orm --objective pairwise', a pair dataset;"
                    + " a folder means its train.arrow.")
    Path data;

    @Option(names = "--validation", description = "Validation step dataset for the threshold sweep (default: validation.arrow beside --data when present).")
    Path validation;

    @Option(names = "--model", required = true,
            description = "Backbone folder: config.json, tokenizer files and, unless --random-init, safetensors.")
    Path model;

    @Option(names = "--random-init", description = "Start from random weights built from the folder's config.json (default: false).")
    boolean randomInit;

    @Option(names = {"--out", "--output"}, required = true, description = "Output model folder; checkpoints go to OUT/checkpoints.")
    Path out;

    @Option(names = "--head", defaultValue = "two-class",
            description = "PRM head: two-class, sigmoid or lm-label-tokens (default: ${DEFAULT-VALUE}); an ORM always uses sigmoid.")
    String head;

    @Option(names = "--positive-token", defaultValue = "+", description = "Label token meaning a correct step, for lm-label-tokens (default: ${DEFAULT-VALUE}).")
    String positiveToken;

    @Option(names = "--negative-token", defaultValue = "-", description = "Label token meaning a wrong step, for lm-label-tokens (default: ${DEFAULT-VALUE}).")
    String negativeToken;

    @Option(names = "--objective", defaultValue = "pointwise", description = "ORM objective: pointwise or pairwise (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--centering", defaultValue = "0", description = "Weight of the reward-centering term of the pairwise loss (default: ${DEFAULT-VALUE}).")
    double centering;

    @Option(names = "--train", defaultValue = "head", description = "What to train: head, last-layers or all (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--last-layers", defaultValue = "1", description = "Layers trained with --train last-layers (default: ${DEFAULT-VALUE}).")
    int lastLayers;

    @Option(names = "--cache-hidden-states", description = "With --train head: run the backbone once and train the head from cached hidden states.")
    boolean cacheHiddenStates;

    @Option(names = "--epochs", defaultValue = "1", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "8", description = "Examples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--accumulation", defaultValue = "1", description = "Forward passes per optimizer step (default: ${DEFAULT-VALUE}).")
    int accumulation;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--min-lr", defaultValue = "0", description = "Learning rate at the end of the cosine decay (default: ${DEFAULT-VALUE}).")
    double minLearningRate;

    @Option(names = "--warmup", defaultValue = "10", description = "Linear warm-up in optimizer steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay of matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm limit, 0 to disable (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of head initialisation and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many optimizer steps, 0 for all epochs (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--max-tokens", defaultValue = "4096", description = "Maximum input length in tokens, written to stepwise.json (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Checkpoint interval in optimizer steps; one is always written at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in OUT/checkpoints.")
    boolean resume;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "Device to train on: cpu, gpu or gpuN (default: gpu0 when the engine sees a GPU, else cpu).")
    String deviceName;

    @Option(names = "--gpu", description = "Train on GPU 0, the same as --device gpu0.")
    boolean gpu;

    @Override
    public Integer call() throws Exception {
        Device device = trainingDevice();
        TrainingConfig config = trainingConfig();
        String kind = task.toLowerCase(Locale.ROOT);
        if (kind.equals("prm")) {
            return trainPrm(device, config);
        }
        if (kind.equals("orm")) {
            return trainOrm(device, config);
        }
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "task must be prm or orm, found '" + task + "'");
    }

    /** Resolves --device and its alias --gpu. Without either, it picks GPU 0 when the DJL engine has a GPU. */
    Device trainingDevice() {
        if (gpu && deviceName != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--gpu and --device are the same setting; give only --device " + deviceName);
        }
        if (gpu) {
            return DeviceOption.parse("gpu0");
        }
        if (deviceName != null) {
            return DeviceOption.parse(deviceName);
        }
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    private TrainingConfig trainingConfig() {
        TrainingConfig.Builder builder = TrainingConfig.builder();
        switch (scope.toLowerCase(Locale.ROOT)) {
            case "head":
                builder.scope(TrainableScope.HEAD);
                break;
            case "last-layers":
                builder.lastLayers(lastLayers);
                break;
            case "all":
                builder.scope(TrainableScope.ALL);
                break;
            default:
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--train must be head, last-layers or all, found '" + scope + "'");
        }
        return builder.cacheHiddenStates(cacheHiddenStates).epochs(epochs).batch(batchSize, accumulation)
                .learningRate(learningRate, minLearningRate, warmup).weightDecay(weightDecay).maxGradNorm(clip)
                .seed(seed).maxSteps(maxSteps).build();
    }

    private int trainPrm(Device device, TrainingConfig config) throws Exception {
        Path trainFile = Files.isDirectory(data) ? data.resolve("train.arrow") : data;
        List<StepRow> rows;
        Map<String, String> metadata;
        try (StepDatasetReader reader = StepDatasetReader.open(trainFile)) {
            metadata = reader.metadata();
            rows = reader.readAll();
        }
        HeadKind kind = HeadKind.valueOf(head.toUpperCase(Locale.ROOT).replace('-', '_'));
        ModelCard card = new ModelCard(ModelCard.Task.PRM, kind, required(metadata, StepDatasetSchema.META_SEPARATOR),
                required(metadata, StepDatasetSchema.META_PROMPT_FORMAT),
                metadata.getOrDefault(StepDatasetSchema.META_LABEL_POLICY, "unknown"), 0.5,
                kind == HeadKind.LM_LABEL_TOKENS ? new LabelTokens(positiveToken, negativeToken) : null, maxTokens);
        try (ProcessRewardModel prm = ProcessRewardModel.create(loadBackbone(device), loadTokenizer(metadata), card,
                seed)) {
            TrainingSummary summary = runTrainer(config, prm.trainingBackbone(), kind, prm.head(),
                    new StepObjective(), StepExamples.fromRows(rows));
            Path validationFile = validation != null ? validation : siblingValidation(trainFile);
            if (validationFile != null) {
                calibrate(prm, validationFile);
            } else {
                LOG.warn("no validation data (--validation); the decision threshold stays {}", card.threshold());
            }
            prm.save(out);
            printSummary(summary);
        }
        return 0;
    }

    private void calibrate(ProcessRewardModel prm, Path validationFile) throws IOException {
        List<StepRow> rows;
        try (StepDatasetReader reader = StepDatasetReader.open(validationFile)) {
            rows = reader.readAll();
        }
        float[][] scores = PrmEvaluation.score(prm, rows, batchSize);
        ProcessBench.Result best = ProcessBench.sweepThreshold(PrmEvaluation.samples(rows, scores));
        PrmEvaluation.Report report = PrmEvaluation.report(rows, scores, best.threshold());
        prm.setCard(prm.card().withThreshold(best.threshold()));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "validation: %d rows, step ROC-AUC %.4f, threshold %.4f, ProcessBench F1 %.4f (erroneous %.4f,"
                        + " correct %.4f)%n", report.samples(), report.stepRocAuc(), best.threshold(), best.f1(),
                best.erroneousAccuracy(), best.correctAccuracy());
    }

    private int trainOrm(Device device, TrainingConfig config) throws Exception {
        Path trainFile = Files.isDirectory(data) ? data.resolve("train.arrow") : data;
        boolean pairwise = objective.equalsIgnoreCase("pairwise");
        if (!pairwise && !objective.equalsIgnoreCase("pointwise")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--objective must be pointwise or pairwise, found '" + objective + "'");
        }
        Map<String, String> metadata;
        List<OutcomeExample> pointwise = new ArrayList<>();
        List<PreferencePair> pairs = new ArrayList<>();
        if (pairwise) {
            try (PairDatasetReader reader = PairDatasetReader.open(trainFile)) {
                metadata = reader.metadata();
                for (PairRow row : reader.readAll()) {
                    pairs.add(new PreferencePair(row.chosenInputIds(), row.rejectedInputIds(), 0f));
                }
            }
        } else {
            try (StepDatasetReader reader = StepDatasetReader.open(trainFile)) {
                metadata = reader.metadata();
                for (StepRow row : reader.readAll()) {
                    if (row.outcomeLabel() != null) {
                        pointwise.add(new OutcomeExample(row.inputIds(), row.outcomeLabel()));
                    }
                }
            }
        }
        ModelCard card = new ModelCard(ModelCard.Task.ORM, HeadKind.SIGMOID,
                metadata.getOrDefault(StepDatasetSchema.META_SEPARATOR, "\n"),
                metadata.getOrDefault(StepDatasetSchema.META_PROMPT_FORMAT, "plain"),
                pairwise ? "preference-pairs" : "outcome", 0.5, null, maxTokens);
        try (OutcomeRewardModel orm = OutcomeRewardModel.create(loadBackbone(device), loadTokenizer(metadata), card,
                seed)) {
            TrainingSummary summary = pairwise
                    ? runTrainer(config, orm.trainingBackbone(), HeadKind.SIGMOID, orm.head(),
                            OutcomeLosses.bradleyTerry(centering), pairs)
                    : runTrainer(config, orm.trainingBackbone(), HeadKind.SIGMOID, orm.head(),
                            OutcomeLosses.pointwise(), pointwise);
            orm.save(out);
            printSummary(summary);
        }
        return 0;
    }

    private <E> TrainingSummary runTrainer(TrainingConfig config, Backbone backbone, HeadKind kind,
            Map<String, ai.djl.ndarray.NDArray> headTensors, RewardObjective<E> lossObjective, List<E> examples)
            throws Exception {
        Path checkpoints = out.resolve("checkpoints");
        try (RewardTrainer<E> trainer = new RewardTrainer<>(config, backbone, kind, headTensors, lossObjective);
                MetricsJsonlListener metrics = new MetricsJsonlListener(out.resolve("metrics.jsonl"))) {
            trainer.addListener(new DivergenceGuard(1e3))
                    .addListener(ProgressListener.forCurrentProcess())
                    .addListener(metrics)
                    .addListener(new CheckpointListener(checkpoints, checkpointEvery));
            if (resume) {
                trainer.resume(checkpoints);
            }
            return trainer.train(examples);
        }
    }

    private DecoderModel loadBackbone(Device device) throws IOException {
        if (randomInit) {
            return DecoderModel.randomInit(ModelConfig.read(model.resolve("config.json")), seed, device);
        }
        return DecoderModel.load(model, device);
    }

    /** Loads the backbone's tokenizer and checks that it is the one the dataset was tokenized with. */
    private TextTokenizer loadTokenizer(Map<String, String> metadata) throws IOException {
        TextTokenizer tokenizer = TextTokenizer.load(model);
        String expected = metadata.get(StepDatasetSchema.META_TOKENIZER_SHA256);
        String separator = metadata.get(StepDatasetSchema.META_SEPARATOR);
        if (expected != null && !expected.equals(tokenizer.sha256()) && separator != null
                && tokenizer.tokenId(separator).isEmpty()) {
            // The dataset was imported with --register-separator: register the same token so the ids match.
            TextTokenizer registered = tokenizer.withSpecialTokens(List.of(separator));
            tokenizer.close();
            tokenizer = registered;
        }
        if (expected != null && !expected.equals(tokenizer.sha256())) {
            tokenizer.close();
            throw new IllegalArgumentException("the dataset was tokenized with a tokenizer of SHA-256 " + expected
                    + " but " + model + " has " + tokenizer.sha256()
                    + "; re-tokenize the data with this model's tokenizer (stepwise dataset tokenize)");
        }
        return tokenizer;
    }

    private static Path siblingValidation(Path trainFile) {
        Path parent = trainFile.toAbsolutePath().getParent();
        Path sibling = parent == null ? null : parent.resolve("validation.arrow");
        return sibling != null && Files.exists(sibling) && !sibling.equals(trainFile.toAbsolutePath()) ? sibling : null;
    }

    private static String required(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the dataset metadata lacks '" + key
                    + "'; write the dataset with 'stepwise dataset import' or 'tokenize'");
        }
        return value;
    }

    private void printSummary(TrainingSummary summary) {
        double seconds = summary.elapsedNanos() / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT,
                "trained %d steps, last loss %.4f, %.0f tokens/s; model written to %s%n", summary.steps(),
                summary.lastLoss(), seconds > 0 ? summary.tokens() / seconds : 0, out);
        spec.commandLine().getOut().flush();
    }
}
