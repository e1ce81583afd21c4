package dev.stepwise.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.internal.DecoderForward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One forward pass that extends several key/value caches at once.
 *
 * <p>Row b has P_b cached positions and N_b new tokens. The cached keys and values of all rows are gathered into a
 * (rows, kvHeads, maxPast, headDim) rectangle, right-padded per row, and the new tokens into a right-padded
 * (rows, maxNew) batch. Rotary positions continue from each row's own P_b. The attention bias lets new token j of row
 * b see its row's first P_b cached slots and its new tokens 0..j, within the sliding window if the config has one, so
 * padding never reaches a real token.
 */
final class CacheExtension {

    private final DecoderModel model;
    private final DecoderForward forward;
    private final List<KvCache> caches;
    private final List<long[]> inputIds;
    private final int rows;
    private final int layers;
    private final int[] pastLengths;
    private final int maxPast;
    private final int maxNew;

    private CacheExtension(DecoderModel model, DecoderForward forward, List<KvCache> caches, List<long[]> inputIds,
            int[] pastLengths) {
        this.model = model;
        this.forward = forward;
        this.caches = caches;
        this.inputIds = inputIds;
        this.rows = caches.size();
        this.layers = model.config().numHiddenLayers();
        this.pastLengths = pastLengths;
        this.maxPast = Arrays.stream(pastLengths).max().orElse(0);
        this.maxNew = inputIds.stream().mapToInt(ids -> ids.length).max().orElse(0);
    }

    /**
     * Runs the forward pass, appends one segment per row to its cache and returns the (rows, maxNew, hidden) states
     * attached to {@code resultManager} and registered with the caller's open {@code NDScope}, if any. The caller has
     * validated the arguments.
     */
    static NDArray run(DecoderModel model, DecoderForward forward, List<KvCache> caches, List<long[]> inputIds,
            NDManager resultManager) {
        List<List<KvCache.Segment>> pasts = new ArrayList<>(caches.size());
        try {
            int[] pastLengths = new int[caches.size()];
            for (int b = 0; b < caches.size(); b++) {
                // the segments and the length are read together, so the length check in append is exact
                synchronized (caches.get(b)) {
                    pasts.add(caches.get(b).retainSegments());
                    pastLengths[b] = caches.get(b).length();
                }
            }
            return new CacheExtension(model, forward, caches, inputIds, pastLengths).forward(pasts, resultManager);
        } finally {
            pasts.forEach(segments -> segments.forEach(KvCache.Segment::release));
        }
    }

    private NDArray forward(List<List<KvCache.Segment>> pasts, NDManager resultManager) {
        NDManager manager = model.manager();
        List<KvCache.Segment> added = new ArrayList<>(rows);
        NDArray result;
        try {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray ids = manager.create(paddedIds(), new Shape(rows, maxNew));
                NDArray positions = manager.create(positions(), new Shape(rows, maxNew));
                NDArray bias = manager.create(attentionBias(), new Shape(rows, 1, 1, maxNew, maxPast + maxNew));
                NDArray[] pastKeys = null;
                NDArray[] pastValues = null;
                if (maxPast > 0) {
                    NDArray past = pastRectangle(pasts, manager);
                    pastKeys = new NDArray[layers];
                    pastValues = new NDArray[layers];
                    for (int i = 0; i < layers; i++) {
                        pastKeys[i] = past.get(i);
                        pastValues[i] = past.get(layers + i);
                    }
                }
                NDArray[] presentKeys = new NDArray[layers];
                NDArray[] presentValues = new NDArray[layers];
                result = forward.run(ids, positions, bias, pastKeys, pastValues, presentKeys, presentValues);
                newSegments(presentKeys, presentValues, added);
                NDScope.unregister(result);
            }
            for (int b = 0; b < rows; b++) {
                KvCache.Segment segment = added.set(b, null);
                caches.get(b).append(segment, pastLengths[b]);
            }
        } catch (RuntimeException | Error e) {
            added.stream().filter(segment -> segment != null).forEach(KvCache.Segment::release);
            throw e;
        }
        result.attach(resultManager);
        NDScope.register(result); // an NDScope the caller has open closes the result like any other new array
        return result;
    }

    private long[] paddedIds() {
        long[] ids = new long[rows * maxNew];
        for (int b = 0; b < rows; b++) {
            System.arraycopy(inputIds.get(b), 0, ids, b * maxNew, inputIds.get(b).length);
        }
        return ids;
    }

    /** Position P_b + j for new token j of row b; padded tokens continue the count and are never seen. */
    private long[] positions() {
        long[] positions = new long[rows * maxNew];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < maxNew; j++) {
                positions[b * maxNew + j] = pastLengths[b] + j;
            }
        }
        return positions;
    }

    /**
     * Returns the (rows, 1, 1, maxNew, maxPast + maxNew) additive bias, flattened. Key index s &lt; maxPast is cached
     * slot s, and key index maxPast + j' is new token j'. Queries of padded tokens see no key, so their softmax is
     * uniform over the lowest float32 and never NaN.
     */
    private float[] attentionBias() {
        Integer window = model.config().slidingWindow();
        int keys = maxPast + maxNew;
        float[] bias = new float[rows * maxNew * keys];
        Arrays.fill(bias, DecoderForward.MASKED);
        for (int b = 0; b < rows; b++) {
            int past = pastLengths[b];
            for (int j = 0; j < inputIds.get(b).length; j++) {
                int row = (b * maxNew + j) * keys;
                int query = past + j;
                for (int s = 0; s < past; s++) {
                    if (window == null || query - s < window) {
                        bias[row + s] = 0f;
                    }
                }
                for (int k = 0; k <= j; k++) {
                    if (window == null || j - k < window) {
                        bias[row + maxPast + k] = 0f;
                    }
                }
            }
        }
        return bias;
    }

    /**
     * Gathers the cached segments of every row into one (2 × layers, rows, kvHeads, maxPast, headDim) array: keys of
     * layer i at index i, values at layers + i. Slots past a row's length hold copies of position 0 and are masked.
     */
    private NDArray pastRectangle(List<List<KvCache.Segment>> pasts, NDManager manager) {
        NDList all = new NDList();
        long[] index = new long[rows * maxPast];
        int offset = 0;
        for (int b = 0; b < rows; b++) {
            for (KvCache.Segment segment : pasts.get(b)) {
                all.add(segment.data);
            }
            for (int s = 0; s < pastLengths[b]; s++) {
                index[b * maxPast + s] = offset + s;
            }
            offset += pastLengths[b];
        }
        NDArray flat = all.size() == 1 ? all.get(0) : NDArrays.concat(all, 0);
        Shape perPosition = flat.getShape().slice(1); // (2 × layers, kvHeads, headDim)
        return flat.get(manager.create(index))
                .reshape(new Shape(rows, maxPast).addAll(perPosition))
                .transpose(2, 0, 3, 1, 4);
    }

    /** Copies the new positions of each row out of the per-layer keys and values into one compact segment per row. */
    private void newSegments(NDArray[] presentKeys, NDArray[] presentValues, List<KvCache.Segment> added) {
        NDList layersOut = new NDList(2 * layers);
        layersOut.addAll(Arrays.asList(presentKeys));
        layersOut.addAll(Arrays.asList(presentValues));
        // (2 × layers, rows, kvHeads, maxPast + maxNew, headDim) -> new positions as (rows, maxNew, 2 × layers, kvHeads, headDim)
        NDArray stacked = NDArrays.stack(layersOut, 0)
                .get(new NDIndex(":, :, :, {}:", maxPast))
                .transpose(1, 3, 0, 2, 4);
        for (int b = 0; b < rows; b++) {
            NDArray row = stacked.get(new NDIndex("{}, :{}", b, inputIds.get(b).length));
            added.add(new KvCache.Segment(model.manager(), row.duplicate()));
        }
    }
}
