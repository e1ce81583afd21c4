package dev.stepwise.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.stepwise.core.model.internal.DecoderForward;
import dev.stepwise.core.model.internal.ModelFiles;
import dev.stepwise.core.model.internal.RandomWeights;
import dev.stepwise.core.model.internal.TensorNames;
import dev.stepwise.core.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A Llama, Qwen2 or Mistral decoder backbone over Hugging Face weights, computing in float32 on any device.
 *
 * <p>BF16 and F16 checkpoints are widened to float32 at load; GPUs also compute in float32, so outputs match a
 * float32 {@code transformers} run on every device.
 * NOTE: the tests run on CPU only; the GPU path (arrays moved with {@code toDevice}) has not been run.
 *
 * <p>Lifecycle: the model owns {@link #manager()}, which contains every weight and every {@link KvCache}; {@link
 * #close()} frees them. Forward results are attached to the manager of the {@code inputIds} argument and belong to
 * the caller's innermost open {@code NDScope}, if any. Every temporary array is freed before a forward call returns.
 *
 * <p>Thread-safety: {@code hiddenStates}, {@code lmLogits} and {@code newCache} may run from several threads at
 * once; they only read the weights. {@link #putWeight} may add a new tensor while they run, but replacing a tensor
 * closes the old array, so no forward call may be running then. One {@link KvCache} serves one extension at a time.
 */
public final class DecoderModel implements AutoCloseable {

    private final ModelConfig config;
    private final NDManager manager;
    private final NavigableMap<String, NDArray> weights = new ConcurrentSkipListMap<>();
    private final DecoderForward forward;
    private volatile boolean closed;

    private DecoderModel(ModelConfig config, NDManager manager, Map<String, NDArray> loaded) {
        this.config = config;
        this.manager = manager;
        this.weights.putAll(loaded);
        this.forward = new DecoderForward(config, weights::get);
    }

    /**
     * Loads a Hugging Face model folder: {@code config.json} plus {@code model.safetensors} or a sharded
     * {@code model.safetensors.index.json}. Every backbone tensor the config implies must be present with its shape;
     * head tensors ({@code lm_head.weight}, {@code score.weight}, {@code score.0.*}, {@code score.2.*}) and other
     * extra tensors are kept as found.
     *
     * @throws IllegalArgumentException when a tensor is missing or has the wrong shape
     * @throws UnsupportedOperationException when the config requires math that stepwise does not implement
     */
    public static DecoderModel load(Path dir, Device device) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> loaded = ModelFiles.normalize(Safetensors.read(dir, manager), dir);
            ModelFiles.validate(config, loaded, dir);
            return new DecoderModel(config, manager, loaded);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates a model with freshly initialised weights, as {@code transformers} does: linear and embedding weights
     * from N(0, initializer_range²), biases 0, norm weights 1, plus the head tensors its architecture classes imply.
     * The same seed gives the same weights on every machine (the values come from {@link java.util.Random}).
     */
    public static DecoderModel randomInit(ModelConfig config, long seed, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new DecoderModel(config, manager, RandomWeights.create(config, seed, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** Returns the manager that owns the weights and caches; do not close it directly, close the model. */
    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * Returns a read-only view of the weights by Hugging Face tensor name, sorted by name: float32 backbone tensors
     * and any head tensors. A trainer may set {@code requiresGradient} on these arrays.
     */
    public Map<String, NDArray> weights() {
        return Collections.unmodifiableMap(weights);
    }

    /**
     * Adds or replaces a tensor, for example a new reward head. The model takes ownership: the array is attached to
     * {@link #manager()}, and the array it replaces, if another one, is closed.
     *
     * @throws IllegalArgumentException when {@code name} is a backbone tensor and the shape differs from the config
     */
    public void putWeight(String name, NDArray array) {
        requireOpen();
        Shape expected = TensorNames.backbone(config).get(name);
        if (expected != null && !expected.equals(array.getShape())) {
            throw new IllegalArgumentException("tensor " + name + " must have shape " + expected + ", found "
                    + array.getShape());
        }
        NDScope.unregister(array);
        array.attach(manager);
        NDArray previous = weights.put(name, array);
        if (previous != null && previous != array) {
            previous.close();
        }
    }

    /** Returns the number of weight elements, heads included. */
    public long parameterCount() {
        return weights.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Returns an empty key/value cache for {@link #hiddenStates(NDArray, KvCache)}; the caller closes it. */
    public KvCache newCache() {
        requireOpen();
        return new KvCache(this);
    }

    /**
     * Computes the final-norm hidden states of a batch. Rotary positions come from the mask: the n-th token of a row
     * gets position n − 1 whatever padding precedes it. Padded keys are masked, so left- and right-padded rows give
     * the values of the unpadded sequences. States at padded positions are meaningless.
     *
     * @param inputIds (B, T) int64 token ids, each in [0, vocab_size)
     * @param attentionMask (B, T) int64, 1 for a token and 0 for padding
     * @return (B, T, hidden_size) float32 on {@link #device()}, attached to the manager of {@code inputIds}
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
        requireOpen();
        ModelFiles.checkInput(inputIds, config.vocabSize(), "inputIds");
        if (!attentionMask.getShape().equals(inputIds.getShape())) {
            throw new IllegalArgumentException("attentionMask must have the shape of inputIds " + inputIds.getShape()
                    + ", found " + attentionMask.getShape());
        }
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ids = onDevice(inputIds.toType(DataType.INT64, false));
            NDArray mask = onDevice(attentionMask.toType(DataType.INT64, false));
            NDArray positions = mask.cumSum(1).sub(1).maximum(0);
            NDArray bias = DecoderForward.paddedCausalBias(mask, config.slidingWindow());
            result = forward.run(ids, positions, bias, null, null, null, null);
            NDScope.unregister(result);
        }
        result.attach(inputIds.getManager());
        NDScope.register(result); // an NDScope the caller has open closes the result like any other new array
        return result;
    }

    /**
     * Extends a cached sequence by new tokens and returns their hidden states. They equal the matching rows of a full
     * forward over the whole sequence within float32 rounding. The cache grows by T positions.
     *
     * @param inputIds (1, T) int64 token ids following the cached ones, T ≥ 1
     * @param cache a cache from {@link #newCache()} of this model
     * @return (1, T, hidden_size) float32 on {@link #device()}, attached to the manager of {@code inputIds}
     */
    public NDArray hiddenStates(NDArray inputIds, KvCache cache) {
        requireOpen();
        ModelFiles.checkInput(inputIds, config.vocabSize(), "inputIds");
        if (inputIds.getShape().get(0) != 1) {
            throw new IllegalArgumentException("a key/value cache contains one sequence, so inputIds must have shape (1, T), found "
                    + inputIds.getShape());
        }
        if (cache.model() != this) {
            throw new IllegalArgumentException("the key/value cache belongs to another model");
        }
        long[] ids;
        try (NDArray wide = inputIds.toType(DataType.INT64, true)) {
            ids = wide.toLongArray();
        }
        synchronized (cache) {
            return CacheExtension.run(this, forward, List.of(cache), List.<long[]>of(ids), inputIds.getManager());
        }
    }

    /**
     * Extends several cached sequences in one forward pass and returns the hidden states of their new tokens. Row b
     * appends {@code inputIds.get(b)} to {@code caches.get(b)}; its rotary positions continue from that cache's length.
     * Cached keys and new tokens of rows of different lengths are padded to a rectangle and masked, so each row equals
     * {@link #hiddenStates(NDArray, KvCache)} on its own cache within float32 rounding. Every cache grows by its row's
     * token count and keeps the positions it had, so forks of these caches are not changed.
     *
     * <p>Cost: one forward pass over rows × (longest new row) tokens that attend to rows × (longest cache + longest
     * new row) keys, padding included, plus one copy of every cached position into the padded rectangle.
     *
     * @param caches distinct caches from {@link #newCache()} of this model, empty ones included
     * @param inputIds per row the token ids that follow its cached ones, at least one each, every id in
     *     [0, vocab_size)
     * @param resultManager manager that receives the result
     * @return (rows, longest new row, hidden_size) float32 on {@link #device()}: row b's state of new token j at
     *     [b, j]; states past a row's own length are meaningless
     * @throws IllegalArgumentException when the lists differ in size or are empty, a cache repeats or belongs to another
     *     model, or a row has no tokens or an id out of range
     * @throws IllegalStateException when a cache is closed, or another extension or a truncation changed a cache while
     *     this one ran; rows before that cache were already appended, so discard the caches of the whole call
     */
    public NDArray hiddenStates(List<KvCache> caches, List<long[]> inputIds, NDManager resultManager) {
        requireOpen();
        if (caches.isEmpty() || caches.size() != inputIds.size()) {
            throw new IllegalArgumentException("caches and inputIds must be non-empty lists of one size, found "
                    + caches.size() + " caches and " + inputIds.size() + " token rows");
        }
        Set<KvCache> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int b = 0; b < caches.size(); b++) {
            KvCache cache = caches.get(b);
            if (cache.model() != this) {
                throw new IllegalArgumentException("the key/value cache of row " + b + " belongs to another model");
            }
            if (!seen.add(cache)) {
                throw new IllegalArgumentException("the key/value cache of row " + b
                        + " appears twice; extend each cache in one row, or fork it first");
            }
            long[] ids = inputIds.get(b);
            if (ids.length == 0) {
                throw new IllegalArgumentException("inputIds row " + b + " is empty; every row needs at least one token");
            }
            for (int j = 0; j < ids.length; j++) {
                if (ids[j] < 0 || ids[j] >= config.vocabSize()) {
                    throw new IllegalArgumentException("inputIds[" + b + "][" + j + "] is " + ids[j]
                            + ", expected a token id in [0, " + config.vocabSize() + ")");
                }
            }
        }
        return CacheExtension.run(this, forward, caches, inputIds, resultManager);
    }

    /**
     * Returns next-token logits: {@code hidden} times {@code lm_head.weight}, or times the embedding matrix when the
     * embeddings are tied and the checkpoint has no {@code lm_head}.
     *
     * @param hidden (..., hidden_size) float32
     * @return (..., vocab_size) float32, attached to the manager of {@code hidden}
     * @throws IllegalStateException when the model has no language-model head (a reward or classification model)
     */
    public NDArray lmLogits(NDArray hidden) {
        requireOpen();
        NDArray head = weights.get(TensorNames.LM_HEAD);
        if (head == null && config.tieWordEmbeddings()) {
            head = weights.get(TensorNames.EMBED);
        }
        if (head == null) {
            throw new IllegalStateException("model has no " + TensorNames.LM_HEAD
                    + " and tie_word_embeddings is false, so it has no language-model head");
        }
        return Linear.linear(hidden, head).singletonOrThrow();
    }

    /** Writes {@code config.json} and a float32 {@code model.safetensors} of all weights into {@code dir}. */
    public void save(Path dir) throws IOException {
        save(dir, Safetensors.FloatDtype.F32);
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} of all weights into {@code dir}, creating it, so
     * {@code transformers} and vLLM load the folder. Both files are replaced atomically.
     *
     * @param dtype storage of the weights; {@code config.json} records it as {@code torch_dtype}
     */
    public void save(Path dir, Safetensors.FloatDtype dtype) throws IOException {
        requireOpen();
        ModelFiles.save(dir, config, weights, dtype);
    }

    /** Frees the weights and every cache of this model. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    private NDArray onDevice(NDArray array) {
        return array.getDevice().equals(device()) ? array : array.toDevice(device(), false);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }
}
