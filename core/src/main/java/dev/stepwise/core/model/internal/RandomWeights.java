package dev.stepwise.core.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Initial weights as {@code transformers} draws them: N(0, initializer_range²) matrices, zero biases, unit norms. */
public final class RandomWeights {

    private RandomWeights() {}

    /** Creates backbone and head tensors in name order from one {@link Random} seeded with {@code seed}. */
    public static Map<String, NDArray> create(ModelConfig config, long seed, NDManager manager) {
        Map<String, Shape> shapes = new LinkedHashMap<>(TensorNames.backbone(config));
        shapes.putAll(TensorNames.heads(config));
        Random random = new Random(seed);
        float std = (float) config.initializerRange();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : shapes.entrySet()) {
            String name = entry.getKey();
            Shape shape = entry.getValue();
            if (TensorNames.isNorm(name)) {
                weights.put(name, manager.ones(shape, DataType.FLOAT32));
            } else if (TensorNames.isBias(name)) {
                weights.put(name, manager.zeros(shape, DataType.FLOAT32));
            } else {
                weights.put(name, normal(name, random, std, shape, manager));
            }
        }
        return weights;
    }

    private static NDArray normal(String name, Random random, float std, Shape shape, NDManager manager) {
        if (shape.size() > Integer.MAX_VALUE / Float.BYTES) {
            throw new UnsupportedOperationException("random initialisation fills one Java buffer of at most 2 GiB, but "
                    + name + " has shape " + shape);
        }
        int count = (int) shape.size();
        ByteBuffer bytes = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int i = 0; i < count; i++) {
            floats.put((float) random.nextGaussian() * std);
        }
        return manager.create(bytes, shape, DataType.FLOAT32);
    }
}
