package dev.stepwise.prm.train;

/**
 * Settings of one training run. AdamW uses β1 = 0.9, β2 = 0.999, ε = 1e-8 ({@link #BETA1}, {@link #BETA2},
 * {@link #EPSILON}).
 *
 * @param scope which weights are trained
 * @param lastLayers number of final decoder layers trained when scope is {@link TrainableScope#LAST_LAYERS}, else 0
 * @param cacheHiddenStates with scope {@link TrainableScope#HEAD}: run the frozen backbone once per example, keep the
 *     hidden states at score positions in memory, and train the head from them for every epoch
 * @param epochs passes over the training examples, at least 1
 * @param microBatchSize examples per forward pass, at least 1
 * @param accumulationSteps micro-batches per optimizer step, at least 1; the loss is normalised over the whole
 *     step, so batch 8 × 1 and batch 2 × 4 give the same update up to float rounding
 * @param learningRate peak learning rate after warm-up, greater than 0
 * @param minLearningRate learning rate at the last step of the cosine decay, in [0, learningRate]
 * @param warmupSteps optimizer steps of linear warm-up, at least 0
 * @param weightDecay decoupled weight decay of matrices, at least 0
 * @param maxGradNorm global L2 norm limit of the gradients; 0 disables clipping
 * @param seed seed of head initialisation and of the per-epoch example order
 * @param maxSteps stop after this many optimizer steps; 0 runs all epochs
 */
public record TrainingConfig(
        TrainableScope scope,
        int lastLayers,
        boolean cacheHiddenStates,
        int epochs,
        int microBatchSize,
        int accumulationSteps,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double weightDecay,
        double maxGradNorm,
        long seed,
        int maxSteps) {

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    public TrainingConfig {
        if (scope == null) {
            throw new IllegalArgumentException("scope must be HEAD, LAST_LAYERS or ALL, found null");
        }
        if (scope == TrainableScope.LAST_LAYERS ? lastLayers < 1 : lastLayers != 0) {
            throw new IllegalArgumentException("lastLayers must be at least 1 with scope LAST_LAYERS and 0 otherwise;"
                    + " scope " + scope + ", lastLayers " + lastLayers);
        }
        if (cacheHiddenStates && scope != TrainableScope.HEAD) {
            throw new IllegalArgumentException(
                    "cacheHiddenStates needs a frozen backbone (scope HEAD), found scope " + scope);
        }
        positive(epochs, "epochs");
        positive(microBatchSize, "microBatchSize");
        positive(accumulationSteps, "accumulationSteps");
        if (warmupSteps < 0 || maxSteps < 0) {
            throw new IllegalArgumentException(
                    "warmupSteps and maxSteps must be at least 0, found " + warmupSteps + " and " + maxSteps);
        }
        if (!(weightDecay >= 0) || !(maxGradNorm >= 0)) {
            throw new IllegalArgumentException(
                    "weightDecay and maxGradNorm must be at least 0, found " + weightDecay + " and " + maxGradNorm);
        }
        // Validates the learning rates with the same rules the schedule applies.
        new LearningRateSchedule(learningRate, minLearningRate, 0, 1);
    }

    /** Head-only training, 1 epoch, batch 8 × 1, learning rate 1e-3 falling to 0 after 10 warm-up steps, clip 1.0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scope = scope;
        b.lastLayers = lastLayers;
        b.cacheHiddenStates = cacheHiddenStates;
        b.epochs = epochs;
        b.microBatchSize = microBatchSize;
        b.accumulationSteps = accumulationSteps;
        b.learningRate = learningRate;
        b.minLearningRate = minLearningRate;
        b.warmupSteps = warmupSteps;
        b.weightDecay = weightDecay;
        b.maxGradNorm = maxGradNorm;
        b.seed = seed;
        b.maxSteps = maxSteps;
        return b;
    }

    /** Examples per optimizer step. */
    public int examplesPerStep() {
        return microBatchSize * accumulationSteps;
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, found " + value);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private TrainableScope scope = TrainableScope.HEAD;
        private int lastLayers;
        private boolean cacheHiddenStates;
        private int epochs = 1;
        private int microBatchSize = 8;
        private int accumulationSteps = 1;
        private double learningRate = 1e-3;
        private double minLearningRate;
        private int warmupSteps = 10;
        private double weightDecay = 0.0;
        private double maxGradNorm = 1.0;
        private long seed = 42;
        private int maxSteps;

        public Builder scope(TrainableScope value) {
            this.scope = value;
            this.lastLayers = 0;
            return this;
        }

        public Builder lastLayers(int count) {
            this.scope = TrainableScope.LAST_LAYERS;
            this.lastLayers = count;
            return this;
        }

        public Builder cacheHiddenStates(boolean value) {
            this.cacheHiddenStates = value;
            return this;
        }

        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        public Builder batch(int microBatch, int accumulation) {
            this.microBatchSize = microBatch;
            this.accumulationSteps = accumulation;
            return this;
        }

        public Builder learningRate(double peak, double minimum, int warmup) {
            this.learningRate = peak;
            this.minLearningRate = minimum;
            this.warmupSteps = warmup;
            return this;
        }

        public Builder weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        public Builder maxGradNorm(double value) {
            this.maxGradNorm = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder maxSteps(int value) {
            this.maxSteps = value;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(scope, lastLayers, cacheHiddenStates, epochs, microBatchSize, accumulationSteps,
                    learningRate, minLearningRate, warmupSteps, weightDecay, maxGradNorm, seed, maxSteps);
        }
    }
}
