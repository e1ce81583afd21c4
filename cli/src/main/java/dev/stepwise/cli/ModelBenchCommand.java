package dev.stepwise.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stepwise model bench}: forward throughput of a randomly initialised Llama backbone beside the limit that
 * the engine's measured float32 matrix-product rate sets.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the forward throughput (tokens/s) of a random Llama backbone.",
            "Prints it beside the FLOP limit from a measured float32 matrix-product rate on the same device.",
            "The defaults give a 25.3M-parameter model."
        })
final class ModelBenchCommand implements Callable<Integer> {

    @Option(names = "--hidden", defaultValue = "512", paramLabel = "N", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "8", paramLabel = "N", description = "Decoder layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "8", paramLabel = "N", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "4", paramLabel = "N", description = "Key/value heads (default: ${DEFAULT-VALUE}).")
    int keyValueHeads;

    @Option(names = "--intermediate", defaultValue = "1376",
            description = "MLP intermediate size (default: ${DEFAULT-VALUE}).")
    int intermediate;

    @Option(names = "--vocab", defaultValue = "4096", paramLabel = "N", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Sequences per forward call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--tokens", defaultValue = "256", paramLabel = "N", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed forward calls first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", paramLabel = "N", description = "Timed forward calls (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--matmul-size", defaultValue = "2048",
            description = "N of the N x N by N x N float32 product timed for the FLOP rate (default: ${DEFAULT-VALUE}).")
    int matmulSize;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu0, gpu1, ... (default: ${DEFAULT-VALUE}).")
    String device;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (batch < 1 || tokens < 1 || iterations < 1 || warmup < 0 || matmulSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch, --tokens, --iterations and "
                    + "--matmul-size must be >= 1 and --warmup >= 0");
        }
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA)
                .hiddenSize(hidden)
                .numHiddenLayers(layers)
                .numAttentionHeads(heads)
                .numKeyValueHeads(keyValueHeads)
                .intermediateSize(intermediate)
                .vocabSize(vocab)
                .tieWordEmbeddings(true)
                .set("max_position_embeddings", Math.max(tokens, 512))
                .build();
        Device target = Device.fromName(device);
        PrintWriter out = spec.commandLine().getOut();
        try (DecoderModel model = DecoderModel.randomInit(config, 1, target);
                NDManager manager = NDManager.newBaseManager(target)) {
            double[] seconds = timeForward(model, manager);
            double matmulFlops = measureMatmulRate(manager);
            double flopsPerForward = forwardFlops(config, batch, tokens);
            double median = median(seconds);
            double best = Arrays.stream(seconds).min().orElseThrow();
            double flopsPerToken = flopsPerForward / (batch * (double) tokens);
            double limit = matmulFlops / flopsPerToken;

            out.printf("model          Llama with tied embeddings, %d parameters: hidden %d, %d layers, %d heads, "
                    + "%d key/value heads, intermediate %d, vocabulary %d%n", model.parameterCount(), hidden, layers,
                    heads, keyValueHeads, intermediate, vocab);
            out.printf("device         %s, %s engine threads%n", target,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            out.printf("input          batch %d x %d tokens, %d timed calls after %d warm-up%n", batch, tokens,
                    iterations, warmup);
            out.printf("forward        median %.1f ms, best %.1f ms, worst %.1f ms%n", median * 1e3, best * 1e3,
                    Arrays.stream(seconds).max().orElseThrow() * 1e3);
            out.printf("throughput     median %.0f tokens/s, best %.0f tokens/s (%.2f GFLOP/s of matrix products)%n",
                    batch * (double) tokens / median, batch * (double) tokens / best, flopsPerForward / best / 1e9);
            out.printf("matmul rate    %.2f GFLOP/s (%d x %d float32 product, best of 5)%n", matmulFlops / 1e9,
                    matmulSize, matmulSize);
            out.printf("FLOP limit     %.0f tokens/s at that rate (%.4f GFLOP per token)%n", limit, flopsPerToken / 1e9);
            // best against best: both numbers are the least disturbed by other processes on the machine
            out.printf("ratio          %.2f of the limit (best forward / FLOP limit)%n",
                    batch * (double) tokens / best / limit);
        }
        out.flush();
        return 0;
    }

    private double[] timeForward(DecoderModel model, NDManager manager) {
        Random random = new Random(2);
        long[] ids = new long[batch * tokens];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(vocab);
        }
        NDArray input = manager.create(ids, new Shape(batch, tokens));
        NDArray mask = manager.ones(input.getShape(), DataType.INT64);
        double[] seconds = new double[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long start = System.nanoTime();
            try (NDArray states = model.hiddenStates(input, mask)) {
                synchronize(states);
            }
            if (i >= 0) {
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
        }
        return seconds;
    }

    /** Returns the best float32 rate of five N x N products, in FLOP/s. */
    private double measureMatmulRate(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomUniform(-1, 1, new Shape(matmulSize, matmulSize));
            NDArray b = scope.randomUniform(-1, 1, new Shape(matmulSize, matmulSize));
            synchronize(a.matMul(b));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    synchronize(product);
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * matmulSize * matmulSize * (double) matmulSize / best;
        }
    }

    /**
     * Returns the matrix-product FLOPs of one backbone forward: 2 per multiply-add in the q/k/v/o and MLP projections
     * and in the T x T attention scores and context products. Norms, rotary, softmax and the embedding gather are
     * left out; they are a few percent at these sizes.
     */
    static double forwardFlops(ModelConfig config, int batch, int tokens) {
        double rows = batch * (double) tokens;
        double queryWidth = config.numAttentionHeads() * (double) config.headDim();
        double keyValueWidth = config.numKeyValueHeads() * (double) config.headDim();
        double projections = config.hiddenSize() * (2 * queryWidth + 2 * keyValueWidth)
                + 3.0 * config.hiddenSize() * config.intermediateSize();
        double attention = 2.0 * tokens * queryWidth; // scores and context, per row: 2 x (T x headDim) per head
        return config.numHiddenLayers() * rows * 2 * (projections + attention);
    }

    private void synchronize(NDArray array) {
        if (!array.getDevice().equals(Device.cpu())) {
            try (NDArray sum = array.sum()) {
                sum.getFloat();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
