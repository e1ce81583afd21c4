package dev.stepwise.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stepwise.core.safetensors.Safetensors;
import dev.stepwise.core.safetensors.internal.BFloat16;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderModelTest {

    private static final long[][] SEQUENCES = {{5, 9, 13, 2, 40, 41, 7}, {3, 17, 60}, {11, 12, 13, 14, 15}};

    @TempDir
    Path temp;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** A small Llama with GQA and large enough weights that a masking or position bug changes outputs visibly. */
    static ModelConfig.Builder tiny(Architecture architecture) {
        return ModelConfig.builder(architecture)
                .hiddenSize(32)
                .intermediateSize(48)
                .numHiddenLayers(2)
                .numAttentionHeads(4)
                .numKeyValueHeads(2)
                .vocabSize(64)
                .set("initializer_range", 0.2);
    }

    @Test
    void saveLoadRoundTripIsBitExact() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 7, Device.cpu())) {
            model.save(temp);
            try (DecoderModel loaded = DecoderModel.load(temp, Device.cpu())) {
                com.fasterxml.jackson.databind.node.ObjectNode expectedConfig = model.config().toJson();
                expectedConfig.put("torch_dtype", "float32");
                assertEquals(expectedConfig, loaded.config().toJson());
                assertEquals(model.config().hiddenSize(), loaded.config().hiddenSize());
                assertEquals(model.weights().keySet(), loaded.weights().keySet());
                for (Map.Entry<String, NDArray> entry : model.weights().entrySet()) {
                    NDArray other = loaded.weights().get(entry.getKey());
                    assertArrayEquals(entry.getValue().toFloatArray(), other.toFloatArray(), 0f, entry.getKey());
                }
                NDArray ids = manager.create(SEQUENCES[0]).reshape(1, -1);
                NDArray mask = manager.ones(ids.getShape(), DataType.INT64);
                assertArrayEquals(model.hiddenStates(ids, mask).toFloatArray(), loaded.hiddenStates(ids, mask).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void paddedBatchMatchesSingleSequences() {
        for (boolean leftPadding : new boolean[] {true, false}) {
            try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 11, Device.cpu())) {
                int width = 7;
                long[] ids = new long[SEQUENCES.length * width];
                long[] mask = new long[SEQUENCES.length * width];
                for (int row = 0; row < SEQUENCES.length; row++) {
                    int offset = leftPadding ? width - SEQUENCES[row].length : 0;
                    for (int i = 0; i < SEQUENCES[row].length; i++) {
                        ids[row * width + offset + i] = SEQUENCES[row][i];
                        mask[row * width + offset + i] = 1;
                    }
                }
                NDArray batch = model.hiddenStates(manager.create(ids, new Shape(3, width)),
                        manager.create(mask, new Shape(3, width)));
                for (int row = 0; row < SEQUENCES.length; row++) {
                    int length = SEQUENCES[row].length;
                    int offset = leftPadding ? width - length : 0;
                    NDArray single = singleSequence(model, SEQUENCES[row]);
                    NDArray fromBatch = batch.get(new NDIndex("{}, {}:{}", row, offset, offset + length));
                    assertArrayEquals(single.toFloatArray(), fromBatch.toFloatArray(), 1e-5f,
                            (leftPadding ? "left" : "right") + "-padded row " + row);
                }
            }
        }
    }

    @Test
    void cachedExtensionMatchesFullForward() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.QWEN2).build(), 3, Device.cpu());
                KvCache cache = model.newCache()) {
            long[] sequence = SEQUENCES[0];
            float[] full = singleSequence(model, sequence).toFloatArray();

            NDArray prefix = model.hiddenStates(manager.create(new long[] {5, 9, 13}).reshape(1, 3), cache);
            NDArray middle = model.hiddenStates(manager.create(new long[] {2}).reshape(1, 1), cache);
            NDArray rest = model.hiddenStates(manager.create(new long[] {40, 41, 7}).reshape(1, 3), cache);
            float[] pieces = prefix.concat(middle, 1).concat(rest, 1).toFloatArray();

            assertEquals(7, cache.length());
            assertArrayEquals(full, pieces, 1e-5f);
            int hidden = model.config().hiddenSize();
            int keyValueWidth = model.config().numKeyValueHeads() * model.config().headDim();
            assertEquals(2L * 2 * 7 * keyValueWidth * Float.BYTES, cache.sizeInBytes(), "2 layers x keys and values");
            assertEquals(7 * hidden, pieces.length);
        }
    }

    @Test
    void forkedCacheExtendsIndependently() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 5, Device.cpu());
                KvCache cache = model.newCache()) {
            model.hiddenStates(manager.create(new long[] {5, 9, 13}).reshape(1, 3), cache);
            try (KvCache fork = cache.fork()) {
                float[] viaFork = model.hiddenStates(manager.create(new long[] {2, 40}).reshape(1, 2), fork).toFloatArray();
                float[] viaOriginal = model.hiddenStates(manager.create(new long[] {17}).reshape(1, 1), cache).toFloatArray();

                float[] expectedFork = lastRows(singleSequence(model, new long[] {5, 9, 13, 2, 40}), 2);
                float[] expectedOriginal = lastRows(singleSequence(model, new long[] {5, 9, 13, 17}), 1);
                assertArrayEquals(expectedFork, viaFork, 1e-5f);
                assertArrayEquals(expectedOriginal, viaOriginal, 1e-5f);
                assertEquals(5, fork.length());
                assertEquals(4, cache.length());
            }
        }
    }

    @Test
    void truncatedCacheRecomputesContinuation() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 5, Device.cpu());
                KvCache cache = model.newCache()) {
            model.hiddenStates(manager.create(new long[] {5, 9, 13, 2}).reshape(1, 4), cache);
            cache.truncate(2);
            float[] continuation = model.hiddenStates(manager.create(new long[] {60}).reshape(1, 1), cache).toFloatArray();
            assertArrayEquals(lastRows(singleSequence(model, new long[] {5, 9, 60}), 1), continuation, 1e-5f);
            assertThrows(IllegalArgumentException.class, () -> cache.truncate(4));
        }
    }

    @Test
    void eachArchitectureVariantLoadsAndRuns() throws Exception {
        List<ModelConfig> variants = List.of(
                tiny(Architecture.LLAMA).build(),
                tiny(Architecture.LLAMA).tieWordEmbeddings(true).build(),
                tiny(Architecture.LLAMA).set("attention_bias", true).set("mlp_bias", true).build(),
                tiny(Architecture.QWEN2).architectureClass("Qwen2ForProcessRewardModel").build(),
                tiny(Architecture.QWEN2).architectureClass("Qwen2ForSequenceClassification").set("num_labels", 1).build(),
                tiny(Architecture.MISTRAL).set("sliding_window", 3).build());
        List<List<String>> expectedHeads = List.of(
                List.of("lm_head.weight"),
                List.of(),
                List.of("lm_head.weight"),
                List.of("score.0.bias", "score.0.weight", "score.2.bias", "score.2.weight"),
                List.of("score.weight"),
                List.of("lm_head.weight"));
        for (int i = 0; i < variants.size(); i++) {
            Path dir = temp.resolve("variant" + i);
            try (DecoderModel model = DecoderModel.randomInit(variants.get(i), i, Device.cpu())) {
                model.save(dir);
            }
            try (DecoderModel model = DecoderModel.load(dir, Device.cpu())) {
                List<String> heads = model.weights().keySet().stream().filter(n -> !n.startsWith("model.")).toList();
                assertEquals(expectedHeads.get(i), heads, "heads of variant " + i);
                float[] states = singleSequence(model, SEQUENCES[0]).toFloatArray();
                assertEquals(7 * 32, states.length);
                for (float value : states) {
                    assertTrue(Float.isFinite(value), "variant " + i + " produced " + value);
                }
            }
        }
    }

    @Test
    void qwen2HasQueryKeyValueBiasesOnly() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.QWEN2).build(), 1, Device.cpu())) {
            Map<String, NDArray> weights = model.weights();
            assertEquals(new Shape(32), weights.get("model.layers.0.self_attn.q_proj.bias").getShape());
            assertEquals(new Shape(16), weights.get("model.layers.1.self_attn.k_proj.bias").getShape());
            assertEquals(new Shape(16), weights.get("model.layers.1.self_attn.v_proj.bias").getShape());
            assertTrue(!weights.containsKey("model.layers.0.self_attn.o_proj.bias"));
        }
    }

    @Test
    void slidingWindowLimitsAttention() {
        ModelConfig windowed = tiny(Architecture.MISTRAL).set("sliding_window", 2).build();
        try (DecoderModel model = DecoderModel.randomInit(windowed, 9, Device.cpu());
                KvCache cache = model.newCache()) {
            // With a window of 2 the last state depends only on the last two tokens... through one layer; two layers
            // reach 3 tokens back, so changing the first of five tokens must not change the last state.
            float[] first = lastRows(singleSequence(model, new long[] {1, 20, 21, 22, 23}), 1);
            float[] second = lastRows(singleSequence(model, new long[] {50, 20, 21, 22, 23}), 1);
            assertArrayEquals(first, second, 0f);
            model.hiddenStates(manager.create(new long[] {1, 20, 21}).reshape(1, 3), cache);
            float[] cached = model.hiddenStates(manager.create(new long[] {22, 23}).reshape(1, 2), cache).toFloatArray();
            assertArrayEquals(first, lastRows(manager.create(cached, new Shape(1, 2, 32)), 1), 1e-5f);
        }
    }

    @Test
    void tiedEmbeddingsGiveLmLogits() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).tieWordEmbeddings(true).build(), 2,
                Device.cpu())) {
            NDArray hidden = singleSequence(model, SEQUENCES[1]);
            NDArray logits = model.lmLogits(hidden);
            NDArray expected = hidden.matMul(model.weights().get("model.embed_tokens.weight").transpose());
            assertEquals(new Shape(1, 3, 64), logits.getShape());
            assertArrayEquals(expected.toFloatArray(), logits.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void rewardModelHasNoLmHead() {
        ModelConfig config = tiny(Architecture.QWEN2).architectureClass("Qwen2ForProcessRewardModel").build();
        try (DecoderModel model = DecoderModel.randomInit(config, 2, Device.cpu())) {
            NDArray hidden = singleSequence(model, SEQUENCES[1]);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> model.lmLogits(hidden));
            assertTrue(error.getMessage().contains("lm_head.weight"), error.getMessage());
        }
    }

    @Test
    void halfPrecisionCheckpointsLoad() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 4, Device.cpu())) {
            for (Safetensors.FloatDtype dtype : new Safetensors.FloatDtype[] {Safetensors.FloatDtype.BF16,
                    Safetensors.FloatDtype.F16}) {
                Path dir = temp.resolve(dtype.name());
                model.save(dir, dtype);
                try (DecoderModel loaded = DecoderModel.load(dir, Device.cpu())) {
                    float[] original = model.weights().get("model.layers.0.mlp.up_proj.weight").toFloatArray();
                    float[] reloaded = loaded.weights().get("model.layers.0.mlp.up_proj.weight").toFloatArray();
                    for (int i = 0; i < original.length; i++) {
                        if (dtype == Safetensors.FloatDtype.BF16) {
                            float rounded = BFloat16.toFloat(BFloat16.narrow(original[i]));
                            assertEquals(rounded, reloaded[i], 0f, "BF16 element " + i);
                        } else {
                            // f16 keeps 11 significant bits: rounding moves a value by at most 2^-11 of it
                            assertEquals(original[i], reloaded[i], Math.abs(original[i]) * 0x1p-11f, "F16 element " + i);
                        }
                    }
                    assertEquals(DataType.FLOAT32, loaded.weights().get("model.norm.weight").getDataType());
                }
            }
        }
    }

    @Test
    void gradientsReachBackboneWeights() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.QWEN2).build(), 8, Device.cpu())) {
            List<String> trained = List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                    "model.layers.0.self_attn.q_proj.bias", "model.layers.1.mlp.down_proj.weight", "model.norm.weight");
            trained.forEach(name -> model.weights().get(name).setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ids = manager.create(SEQUENCES[0]).reshape(1, -1);
                NDArray states = model.hiddenStates(ids, manager.ones(ids.getShape(), DataType.INT64));
                collector.backward(states.square().sum());
            }
            for (String name : trained) {
                float norm = model.weights().get(name).getGradient().square().sum().getFloat();
                assertTrue(norm > 0, name + " has gradient norm² " + norm);
            }
        }
    }

    @Test
    void repeatedForwardDoesNotGrowMemory() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 6, Device.cpu());
                KvCache cache = model.newCache()) {
            NDArray ids = manager.create(SEQUENCES[0]).reshape(1, -1);
            NDArray mask = manager.ones(ids.getShape(), DataType.INT64);
            model.hiddenStates(ids, mask).close();
            model.hiddenStates(ids, cache).close();
            cache.truncate(0);
            int modelArrays = model.manager().getManagedArrays().size();
            int callerArrays = manager.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                model.hiddenStates(ids, mask).close();
                NDArray prefix = ids.get(new NDIndex(":, :2"));
                NDArray states = model.hiddenStates(prefix, cache);
                model.lmLogits(states).close();
                states.close();
                prefix.close();
                cache.truncate(0);
            }
            assertEquals(modelArrays, model.manager().getManagedArrays().size(), "arrays held by the model's manager");
            assertEquals(callerArrays, manager.getManagedArrays().size(), "arrays held by the caller's manager");
        }
    }

    @Test
    void callerScopeClosesForwardResults() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 6, Device.cpu());
                KvCache cache = model.newCache()) {
            NDArray ids = manager.create(SEQUENCES[1]).reshape(1, -1);
            NDArray mask = manager.ones(ids.getShape(), DataType.INT64);
            NDArray batchStates;
            NDArray cachedStates;
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                batchStates = model.hiddenStates(ids, mask);
                cachedStates = model.hiddenStates(ids, cache);
            }
            assertTrue(batchStates.isReleased(), "hiddenStates(ids, mask) result");
            assertTrue(cachedStates.isReleased(), "hiddenStates(ids, cache) result");
            assertEquals(3, cache.length());
            float[] extended = model.hiddenStates(manager.create(new long[] {4}).reshape(1, 1), cache).toFloatArray();
            assertArrayEquals(lastRows(singleSequence(model, new long[] {3, 17, 60, 4}), 1), extended, 1e-5f);
        }
    }

    @Test
    void concurrentForwardsMatchSerial() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 12, Device.cpu())) {
            float[][] expected = new float[SEQUENCES.length][];
            for (int i = 0; i < SEQUENCES.length; i++) {
                expected[i] = singleSequence(model, SEQUENCES[i]).toFloatArray();
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int task = 0; task < 24; task++) {
                    long[] sequence = SEQUENCES[task % SEQUENCES.length];
                    results.add(pool.submit(() -> {
                        try (NDManager local = NDManager.newBaseManager(Device.cpu())) {
                            NDArray ids = local.create(sequence).reshape(1, -1);
                            return model.hiddenStates(ids, local.ones(ids.getShape(), DataType.INT64)).toFloatArray();
                        }
                    }));
                }
                for (int task = 0; task < results.size(); task++) {
                    assertArrayEquals(expected[task % SEQUENCES.length], results.get(task).get(), 0f, "task " + task);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void outOfRangeTokenIsRejected() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 1, Device.cpu())) {
            NDArray ids = manager.create(new long[] {1, 2, 64}).reshape(1, 3);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(ids, manager.ones(ids.getShape(), DataType.INT64)));
            assertEquals("inputIds[0, 2] is 64, expected a token id in [0, 64)", error.getMessage());
        }
    }

    @Test
    void checkpointMissingTensorIsRejected() throws Exception {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 1, Device.cpu())) {
            model.save(temp);
        }
        try (NDManager files = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = new java.util.HashMap<>(Safetensors.read(temp, files));
            tensors.remove("model.layers.1.mlp.up_proj.weight");
            Safetensors.write(temp.resolve(Safetensors.MODEL_FILE), tensors, Map.of());
        }
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DecoderModel.load(temp, Device.cpu()));
        assertTrue(error.getMessage().endsWith("model.layers.1.mlp.up_proj.weight is missing"), error.getMessage());
    }

    @Test
    void bareBackboneCheckpointLoads() throws Exception {
        float[] expected;
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 1, Device.cpu())) {
            model.save(temp);
            expected = singleSequence(model, SEQUENCES[2]).toFloatArray();
        }
        // a checkpoint saved from LlamaModel: no "model." prefix, no lm_head, plus old rotary buffers
        try (NDManager files = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = new java.util.HashMap<>();
            for (Map.Entry<String, NDArray> entry : Safetensors.read(temp, files).entrySet()) {
                if (entry.getKey().startsWith("model.")) {
                    tensors.put(entry.getKey().substring("model.".length()), entry.getValue());
                }
            }
            tensors.put("layers.0.self_attn.rotary_emb.inv_freq", files.ones(new Shape(4)));
            Safetensors.write(temp.resolve(Safetensors.MODEL_FILE), tensors, Map.of());
        }
        try (DecoderModel loaded = DecoderModel.load(temp, Device.cpu())) {
            assertTrue(loaded.weights().containsKey("model.embed_tokens.weight"));
            assertTrue(loaded.weights().keySet().stream().noneMatch(name -> name.contains("inv_freq")));
            assertArrayEquals(expected, singleSequence(loaded, SEQUENCES[2]).toFloatArray(), 0f);
        }
    }

    @Test
    void putWeightReplacesAndClosesPrevious() {
        try (DecoderModel model = DecoderModel.randomInit(tiny(Architecture.LLAMA).build(), 1, Device.cpu())) {
            NDArray previous = model.weights().get("model.norm.weight");
            model.putWeight("model.norm.weight", manager.full(new Shape(32), 2f));
            assertTrue(previous.isReleased());
            assertEquals(2f, model.weights().get("model.norm.weight").getFloat(0));
            assertThrows(IllegalArgumentException.class, () -> model.putWeight("model.norm.weight", manager.ones(new Shape(3))));
            model.putWeight("value_head.weight", manager.ones(new Shape(1, 32)));
            assertNotEquals(null, model.weights().get("value_head.weight"));
        }
    }

    private NDArray singleSequence(DecoderModel model, long[] sequence) {
        NDArray ids = manager.create(sequence).reshape(1, sequence.length);
        return model.hiddenStates(ids, manager.ones(ids.getShape(), DataType.INT64));
    }

    private static float[] lastRows(NDArray states, int rows) {
        long length = states.getShape().get(1);
        return states.get(new NDIndex(":, {}:", length - rows)).toFloatArray();
    }
}
