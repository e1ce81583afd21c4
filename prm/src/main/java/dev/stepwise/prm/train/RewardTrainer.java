package dev.stepwise.prm.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.internal.AdamW;
import dev.stepwise.prm.internal.CheckpointFiles;
import dev.stepwise.prm.internal.GradientClipping;
import dev.stepwise.prm.internal.HeadMath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a reward head, and optionally backbone layers, with AdamW, warm-up plus cosine decay, clipping by
 * global norm and gradient accumulation.
 *
 * <p>The example order of epoch e is a shuffle seeded by {@code (seed, e)}, so a run resumed from a checkpoint sees
 * the same batches as an uninterrupted one and, on the same device, ends with the same weights. Each optimizer
 * step takes {@code microBatchSize × accumulationSteps} consecutive examples (the last step of an epoch may take
 * fewer), and its loss is the loss sum over the labelled count of the whole step.
 *
 * <p>Weights are updated in place in the maps given to the constructor. Computation is float32 on the device of
 * the weights, and there is no mixed precision. Not thread-safe. Close the trainer to free optimizer moments and
 * cached hidden states.
 *
 * <p>NOTE: only CPU runs have been tested. The GPU path uses the same code but has not been run.
 *
 * @param <E> the example type of the objective
 */
public final class RewardTrainer<E> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RewardTrainer.class);

    private final TrainingConfig config;
    private final Backbone backbone;
    private final HeadKind headKind;
    private final Map<String, NDArray> head;
    private final RewardObjective<E> objective;
    private final Map<String, NDArray> trainable;
    private final NDManager manager;
    private final AdamW optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Map<Integer, NDArray> featureCache = new LinkedHashMap<>();
    private long completedSteps;

    /**
     * @param head head tensors by name (see {@link HeadKind#tensorNames()}); trained in place
     * @throws IllegalArgumentException when the scope asks for more layers than the backbone has
     */
    public RewardTrainer(TrainingConfig config, Backbone backbone, HeadKind headKind, Map<String, NDArray> head,
            RewardObjective<E> objective) {
        this.config = config;
        this.backbone = backbone;
        this.headKind = headKind;
        this.head = head;
        this.objective = objective;
        this.trainable = selectTrainable(config, backbone, head);
        Device device = head.values().iterator().next().getDevice();
        this.manager = NDManager.newBaseManager(device);
        this.optimizer = new AdamW(TrainingConfig.BETA1, TrainingConfig.BETA2, TrainingConfig.EPSILON,
                config.weightDecay(), manager);
    }

    /** Adds a listener; listeners run in the order added. */
    public RewardTrainer<E> addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Names of the weights this trainer updates, in a fixed order. */
    public List<String> trainableNames() {
        return List.copyOf(trainable.keySet());
    }

    /**
     * Restores the newest checkpoint under {@code checkpointsDir}, if there is one, so that {@link #train} continues
     * after its step.
     *
     * @return the step the checkpoint was written after, or 0 when there was none
     * @throws IllegalArgumentException when the checkpoint's tensors do not match this trainer's trainable weights
     */
    public long resume(Path checkpointsDir) throws IOException {
        Path latest = CheckpointFiles.latest(checkpointsDir);
        if (latest == null) {
            LOG.info("no checkpoint under {}; training starts at step 0", checkpointsDir);
            return 0;
        }
        try (NDManager loading = manager.newSubManager()) {
            CheckpointFiles.Loaded loaded = CheckpointFiles.read(latest, loading);
            CheckpointFiles.copyInto(loaded.parameters(), trainable, latest);
            optimizer.importState(loaded.optimizerState(), loaded.step());
            completedSteps = loaded.step();
        }
        LOG.info("resumed from {} after step {}", latest, completedSteps);
        return completedSteps;
    }

    /**
     * Trains on the examples until all epochs or {@code maxSteps} are done, counting steps restored by
     * {@link #resume}.
     *
     * @throws IllegalArgumentException when the examples list is empty
     * @throws Exception whatever a listener throws, which stops the run
     */
    public TrainingSummary train(List<E> examples) throws Exception {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one example, found none");
        }
        int stepsPerEpoch = (examples.size() + config.examplesPerStep() - 1) / config.examplesPerStep();
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        if (config.maxSteps() > 0) {
            totalSteps = Math.min(totalSteps, config.maxSteps());
        }
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.minLearningRate(),
                (int) Math.min(config.warmupSteps(), Math.max(0, totalSteps - 1)), (int) totalSteps);
        LOG.info("training {} weights ({} values), {} examples, {} steps from step {}, config {}", trainable.size(),
                parameterCount(), examples.size(), totalSteps, completedSteps, config);
        if (config.cacheHiddenStates()) {
            fillFeatureCache(examples);
        }
        for (NDArray parameter : trainable.values()) {
            parameter.setRequiresGradient(true);
        }
        try {
            return runSteps(examples, stepsPerEpoch, totalSteps, schedule);
        } finally {
            for (NDArray parameter : trainable.values()) {
                parameter.setRequiresGradient(false);
            }
        }
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }

    private TrainingSummary runSteps(List<E> examples, int stepsPerEpoch, long totalSteps,
            LearningRateSchedule schedule) throws Exception {
        Checkpointer checkpointer = this::writeCheckpoint;
        for (TrainingListener listener : listeners) {
            listener.onTrainingStart(totalSteps, completedSteps);
        }
        List<Double> losses = new ArrayList<>();
        long tokens = 0;
        long start = System.nanoTime();
        while (completedSteps < totalSteps) {
            int epoch = (int) (completedSteps / stepsPerEpoch);
            List<Integer> order = epochOrder(examples.size(), epoch);
            int first = (int) (completedSteps % stepsPerEpoch) * config.examplesPerStep();
            List<Integer> stepIndices = order.subList(first, Math.min(order.size(), first + config.examplesPerStep()));
            StepReport report = runStep(examples, stepIndices, epoch, totalSteps, schedule, start);
            losses.add(report.loss());
            tokens += report.tokens();
            for (TrainingListener listener : listeners) {
                listener.onStepEnd(report, checkpointer);
            }
        }
        TrainingSummary summary = new TrainingSummary(completedSteps, losses, tokens, System.nanoTime() - start);
        for (TrainingListener listener : listeners) {
            listener.onTrainingEnd(summary, checkpointer);
        }
        return summary;
    }

    private StepReport runStep(List<E> examples, List<Integer> stepIndices, int epoch, long totalSteps,
            LearningRateSchedule schedule, long start) {
        int labelled = 0;
        for (int index : stepIndices) {
            labelled += objective.labelCount(examples.get(index));
        }
        double learningRate = schedule.rateAt(completedSteps);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double loss = 0;
            long tokens = 0;
            for (int from = 0; from < stepIndices.size(); from += config.microBatchSize()) {
                List<Integer> micro = stepIndices.subList(from, Math.min(stepIndices.size(), from + config.microBatchSize()));
                tokens += config.cacheHiddenStates() ? 0 : tokenCount(examples, micro);
                loss += backwardMicroBatch(examples, micro, Math.max(1, labelled));
            }
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            trainable.forEach((name, parameter) -> gradients.put(name, parameter.getGradient()));
            double norm = GradientClipping.clipByGlobalNorm(gradients.values(), config.maxGradNorm());
            StepReport report = new StepReport(epoch, completedSteps + 1, totalSteps, loss, norm, learningRate,
                    tokens, System.nanoTime() - start);
            for (TrainingListener listener : listeners) {
                listener.beforeUpdate(report);
            }
            if (labelled == 0) {
                LOG.warn("step {} of epoch {} has no labelled item; the update is skipped", completedSteps + 1, epoch);
            } else {
                optimizer.step(trainable, gradients, learningRate);
            }
            for (NDArray gradient : gradients.values()) {
                gradient.subi(gradient);
            }
            completedSteps++;
            return report;
        }
    }

    /** Runs forward and backward of one micro-batch and returns its share of the step loss. */
    private double backwardMicroBatch(List<E> examples, List<Integer> micro, int stepLabelled) {
        List<E> batch = new ArrayList<>(micro.size());
        for (int index : micro) {
            batch.add(examples.get(index));
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray features = config.cacheHiddenStates() ? cachedFeatures(micro) : gatherFeatures(batch);
            NDArray logits = HeadMath.positiveLogits(headKind, head, features);
            NDArray loss = objective.lossSum(logits, batch).div(stepLabelled);
            collector.backward(loss);
            return loss.getFloat();
        }
    }

    /** Runs the backbone on the batch's sequences (right-padded) and picks the hidden states at score positions. */
    private NDArray gatherFeatures(List<E> batch) {
        List<long[]> sequences = new ArrayList<>();
        List<int[]> positions = new ArrayList<>();
        for (E example : batch) {
            List<long[]> exampleSequences = objective.sequences(example);
            for (int s = 0; s < exampleSequences.size(); s++) {
                sequences.add(exampleSequences.get(s));
                positions.add(objective.scorePositions(example, s));
            }
        }
        return hiddenStatesAt(sequences, positions);
    }

    private NDArray hiddenStatesAt(List<long[]> sequences, List<int[]> positions) {
        int rows = sequences.size();
        int width = 0;
        int picked = 0;
        for (int r = 0; r < rows; r++) {
            width = Math.max(width, sequences.get(r).length);
            picked += positions.get(r).length;
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] flatPositions = new long[picked];
        int next = 0;
        for (int r = 0; r < rows; r++) {
            long[] sequence = sequences.get(r);
            System.arraycopy(sequence, 0, ids, r * width, sequence.length);
            java.util.Arrays.fill(mask, r * width, r * width + sequence.length, 1L);
            for (int position : positions.get(r)) {
                flatPositions[next++] = (long) r * width + position;
            }
        }
        NDArray inputIds = manager.create(ids, new Shape(rows, width));
        NDArray attentionMask = manager.create(mask, new Shape(rows, width));
        NDArray hidden = backbone.hiddenStates(inputIds, attentionMask);
        NDArray flat = hidden.reshape(rows * (long) width, backbone.hiddenSize());
        return flat.get(manager.create(flatPositions));
    }

    private void fillFeatureCache(List<E> examples) {
        if (!featureCache.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        for (int i = 0; i < examples.size(); i++) {
            try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
                NDArray features = gatherFeatures(List.of(examples.get(i))).stopGradient();
                NDScope.unregister(features);
                features.attach(manager);
                featureCache.put(i, features);
            }
        }
        LOG.info("cached hidden states at score positions of {} examples in {} ms", examples.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private NDArray cachedFeatures(List<Integer> micro) {
        NDList parts = new NDList();
        for (int index : micro) {
            parts.add(featureCache.get(index));
        }
        return NDArrays.concat(parts, 0);
    }

    private long tokenCount(List<E> examples, List<Integer> micro) {
        long tokens = 0;
        for (int index : micro) {
            for (long[] sequence : objective.sequences(examples.get(index))) {
                tokens += sequence.length;
            }
        }
        return tokens;
    }

    private List<Integer> epochOrder(int size, int epoch) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
        return order;
    }

    private Path writeCheckpoint(Path checkpointsDir) throws IOException {
        try (NDManager writing = manager.newSubManager()) {
            NDList parameters = new NDList();
            trainable.forEach((name, parameter) -> {
                NDArray copy = parameter.duplicate();
                copy.attach(writing);
                copy.setName(name);
                parameters.add(copy);
            });
            Path written = CheckpointFiles.write(checkpointsDir, completedSteps, parameters,
                    optimizer.exportState(writing));
            LOG.info("wrote checkpoint {}", written);
            return written;
        }
    }

    private long parameterCount() {
        long count = 0;
        for (NDArray parameter : trainable.values()) {
            count += parameter.size();
        }
        return count;
    }

    private static Map<String, NDArray> selectTrainable(TrainingConfig config, Backbone backbone,
            Map<String, NDArray> head) {
        Map<String, NDArray> selected = new LinkedHashMap<>(head);
        if (config.scope() == TrainableScope.HEAD) {
            return selected;
        }
        int firstLayer = 0;
        if (config.scope() == TrainableScope.LAST_LAYERS) {
            if (config.lastLayers() > backbone.layerCount()) {
                throw new IllegalArgumentException("lastLayers " + config.lastLayers()
                        + " exceeds the backbone's layer count " + backbone.layerCount());
            }
            firstLayer = backbone.layerCount() - config.lastLayers();
        }
        for (Map.Entry<String, NDArray> entry : backbone.weights().entrySet()) {
            String name = entry.getKey();
            if (name.equals("lm_head.weight") || selected.containsKey(name)) {
                continue;
            }
            if (config.scope() == TrainableScope.ALL || name.equals("model.norm.weight")
                    || layerIndex(name) >= firstLayer) {
                selected.put(name, entry.getValue());
            }
        }
        return selected;
    }

    private static int layerIndex(String name) {
        String prefix = "model.layers.";
        if (!name.startsWith(prefix)) {
            return -1;
        }
        int end = name.indexOf('.', prefix.length());
        return Integer.parseInt(name.substring(prefix.length(), end));
    }
}
