package dev.stepwise.cli.quickstart;

/**
 * Sizes and seeds of one {@code stepwise quickstart} run. {@link #defaults()} is sized to finish in
 * a few minutes on two CPU cores.
 *
 * @param trainProblems problems of the training set; each gets {@code samplesPerProblem} solutions
 * @param testProblems held-out problems for step AUC and ProcessBench-style F1
 * @param samplesPerProblem solutions sampled per training and test problem
 * @param bestOfNProblems held-out problems for the Best-of-N table
 * @param maxN candidates per Best-of-N problem; the table reports N = 1, 2, 4, ... up to this
 * @param searchProblems held-out problems solved through the scoring service by each search strategy
 * @param model shape of the PRM and ORM backbones, trained from random weights
 * @param prmSteps optimizer steps of PRM training
 * @param ormSteps optimizer steps of ORM training
 * @param batchSize examples per optimizer step
 * @param learningRate peak AdamW learning rate after warm-up
 * @param seed seed of data generation, weight initialisation and example order
 */
public record QuickstartConfig(
        int trainProblems,
        int testProblems,
        int samplesPerProblem,
        int bestOfNProblems,
        int maxN,
        int searchProblems,
        ModelShape model,
        int prmSteps,
        int ormSteps,
        int batchSize,
        double learningRate,
        long seed) {

    /**
     * A Llama-style decoder shape.
     *
     * @param hiddenSize width of the residual stream
     * @param layers decoder layers
     * @param heads attention heads; {@code hiddenSize} must be a multiple
     */
    public record ModelShape(int hiddenSize, int layers, int heads) {
        public ModelShape {
            positive("hiddenSize", hiddenSize);
            positive("layers", layers);
            positive("heads", heads);
            if (hiddenSize % heads != 0) {
                throw new IllegalArgumentException("hiddenSize " + hiddenSize + " must be a multiple of heads " + heads);
            }
        }
    }

    public QuickstartConfig {
        positive("trainProblems", trainProblems);
        positive("testProblems", testProblems);
        positive("samplesPerProblem", samplesPerProblem);
        positive("bestOfNProblems", bestOfNProblems);
        positive("maxN", maxN);
        if (searchProblems < 0) {
            throw new IllegalArgumentException("searchProblems must be >= 0 (0 skips the search stage), found "
                    + searchProblems);
        }
        positive("prmSteps", prmSteps);
        positive("ormSteps", ormSteps);
        positive("batchSize", batchSize);
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, found " + learningRate);
        }
    }

    /** Returns the configuration of {@code stepwise quickstart} without options. */
    public static QuickstartConfig defaults() {
        return new QuickstartConfig(1500, 200, 2, 100, 16, 40, new ModelShape(64, 2, 4), 600, 300, 16, 3e-3, 1);
    }

    public QuickstartConfig withSteps(int prm, int orm) {
        return new QuickstartConfig(trainProblems, testProblems, samplesPerProblem, bestOfNProblems, maxN,
                searchProblems, model, prm, orm, batchSize, learningRate, seed);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, found " + value);
        }
    }
}
