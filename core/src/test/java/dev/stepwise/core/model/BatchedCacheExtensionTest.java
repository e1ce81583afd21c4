package dev.stepwise.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchedCacheExtensionTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void batchMatchesOneAtATime() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.QWEN2).build(), 3,
                Device.cpu());
                KvCache empty = model.newCache();
                KvCache short3 = model.newCache();
                KvCache long6 = model.newCache()) {
            extendOne(model, short3, 5, 9, 13);
            extendOne(model, long6, 11, 12, 13, 14, 15, 16);
            // rows: empty cache + 4 tokens, 3 cached + 1 token, 6 cached + 3 tokens
            List<long[]> rows = List.of(new long[] {3, 17, 60, 4}, new long[] {2}, new long[] {40, 41, 7});
            List<long[]> prefixes = List.of(new long[0], new long[] {5, 9, 13}, new long[] {11, 12, 13, 14, 15, 16});
            List<KvCache> caches = List.of(empty, short3, long6);

            NDArray batched = model.hiddenStates(caches, rows, manager);

            assertEquals(List.of(3L, 4L, model.config().hiddenSize() * 1L), Arrays.stream(batched.getShape().getShape())
                    .boxed().toList(), "shape (rows, longest new row, hidden)");
            for (int b = 0; b < rows.size(); b++) {
                long[] whole = concat(prefixes.get(b), rows.get(b));
                float[] expected = lastRows(fullForward(model, whole), rows.get(b).length);
                float[] actual = batched.get(new NDIndex("{}, :{}", b, rows.get(b).length)).toFloatArray();
                assertArrayEquals(expected, actual, 1e-5f, "row " + b);
                assertEquals(whole.length, caches.get(b).length(), "cache length of row " + b);
            }
        }
    }

    @Test
    void secondBatchContinuesEveryRow() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 4,
                Device.cpu());
                KvCache first = model.newCache();
                KvCache second = model.newCache()) {
            model.hiddenStates(List.of(first, second), List.of(new long[] {5, 9}, new long[] {3, 17, 60, 4, 8}),
                    manager);
            NDArray next = model.hiddenStates(List.of(first, second), List.of(new long[] {13, 2, 40},
                    new long[] {1}), manager);

            assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 2, 40}), 3),
                    next.get(new NDIndex("0, :3")).toFloatArray(), 1e-5f, "row 0");
            assertArrayEquals(lastRows(fullForward(model, new long[] {3, 17, 60, 4, 8, 1}), 1),
                    next.get(new NDIndex("1, :1")).toFloatArray(), 1e-5f, "row 1");
            int keyValueWidth = model.config().numKeyValueHeads() * model.config().headDim();
            assertEquals(2L * 2 * 6 * keyValueWidth * Float.BYTES, second.sizeInBytes(), "2 layers x keys and values");
        }
    }

    @Test
    void slidingWindowBatchMatchesFullForward() {
        ModelConfig windowed = DecoderModelTest.tiny(Architecture.MISTRAL).set("sliding_window", 2).build();
        try (DecoderModel model = DecoderModel.randomInit(windowed, 9, Device.cpu());
                KvCache shorter = model.newCache();
                KvCache longer = model.newCache()) {
            extendOne(model, shorter, 1);
            extendOne(model, longer, 1, 20, 21, 22);
            NDArray batched = model.hiddenStates(List.of(shorter, longer),
                    List.of(new long[] {20, 21, 22, 23}, new long[] {23, 24}), manager);

            assertArrayEquals(lastRows(fullForward(model, new long[] {1, 20, 21, 22, 23}), 4),
                    batched.get(new NDIndex("0, :4")).toFloatArray(), 1e-5f, "row 0");
            assertArrayEquals(lastRows(fullForward(model, new long[] {1, 20, 21, 22, 23, 24}), 2),
                    batched.get(new NDIndex("1, :2")).toFloatArray(), 1e-5f, "row 1");
        }
    }

    @Test
    void forkedSiblingsDoNotSeeEachOther() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 5,
                Device.cpu());
                KvCache parent = model.newCache()) {
            extendOne(model, parent, 5, 9, 13);
            try (KvCache left = parent.fork(); KvCache right = parent.fork()) {
                model.hiddenStates(List.of(left, right), List.of(new long[] {2, 40}, new long[] {17}), manager);
                assertEquals(3, parent.length(), "parent length after its forks grew");

                // each sibling continues from its own tokens only, and the parent from none of them
                float[] leftNext = extendOne(model, left, 41);
                float[] rightNext = extendOne(model, right, 41);
                float[] parentNext = extendOne(model, parent, 41);
                assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 2, 40, 41}), 1), leftNext, 1e-5f);
                assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 17, 41}), 1), rightNext, 1e-5f);
                assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 41}), 1), parentNext, 1e-5f);
            }
        }
    }

    @Test
    void forkOutlivesClosedParent() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 5,
                Device.cpu())) {
            KvCache parent = model.newCache();
            extendOne(model, parent, 5, 9, 13);
            try (KvCache fork = parent.fork()) {
                parent.close();
                float[] next = extendOne(model, fork, 2);
                assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 2}), 1), next, 1e-5f);
            }
        }
    }

    @Test
    void truncateInsideSegmentKeepsPrefix() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 5,
                Device.cpu());
                KvCache cache = model.newCache()) {
            extendOne(model, cache, 5, 9);
            extendOne(model, cache, 13, 2, 40);
            try (KvCache fork = cache.fork()) {
                cache.truncate(3);
                float[] next = extendOne(model, cache, 60);
                assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 60}), 1), next, 1e-5f);
                float[] forkNext = extendOne(model, fork, 60);
                assertArrayEquals(lastRows(fullForward(model, new long[] {5, 9, 13, 2, 40, 60}), 1), forkNext, 1e-5f,
                        "a fork keeps the positions its parent truncated");
            }
        }
    }

    @Test
    void closingCachesFreesSegments() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 6,
                Device.cpu())) {
            int modelArrays = model.manager().getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (KvCache parent = model.newCache()) {
                    extendOne(model, parent, 5, 9, 13);
                    try (KvCache left = parent.fork(); KvCache right = parent.fork()) {
                        model.hiddenStates(List.of(left, right), List.of(new long[] {2, 40}, new long[] {17}),
                                manager).close();
                        left.truncate(4);
                    }
                }
            }
            assertEquals(modelArrays, model.manager().getManagedArrays().size(), "arrays held by the model's manager");
        }
    }

    @Test
    void invalidBatchesAreRejected() {
        try (DecoderModel model = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 5,
                Device.cpu());
                KvCache cache = model.newCache();
                DecoderModel other = DecoderModel.randomInit(DecoderModelTest.tiny(Architecture.LLAMA).build(), 5,
                        Device.cpu());
                KvCache foreign = other.newCache()) {
            long[] ids = {1, 2};
            assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(List.of(cache, cache), List.of(ids, ids), manager), "repeated cache");
            assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(List.of(cache), List.of(new long[0]), manager), "empty row");
            assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(List.of(cache), List.of(ids, ids), manager), "size mismatch");
            assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(List.of(foreign), List.of(ids), manager), "cache of another model");
            assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(List.of(cache), List.of(new long[] {64}), manager), "id out of range");
            assertEquals(0, cache.length(), "a rejected batch leaves the cache unchanged");
        }
    }

    /** Extends {@code cache} through the one-sequence path and returns the flattened states of the new tokens. */
    private float[] extendOne(DecoderModel model, KvCache cache, long... ids) {
        return model.hiddenStates(manager.create(ids).reshape(1, ids.length), cache).toFloatArray();
    }

    private NDArray fullForward(DecoderModel model, long[] sequence) {
        NDArray ids = manager.create(sequence).reshape(1, sequence.length);
        return model.hiddenStates(ids, manager.ones(ids.getShape(), DataType.INT64));
    }

    private static float[] lastRows(NDArray states, int rows) {
        long length = states.getShape().get(1);
        return states.get(new NDIndex(":, {}:", length - rows)).toFloatArray();
    }

    private static long[] concat(long[] first, long[] second) {
        long[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
