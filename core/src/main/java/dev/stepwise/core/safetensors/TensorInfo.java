package dev.stepwise.core.safetensors;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a safetensors header.
 *
 * @param name tensor name, for example {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype safetensors dtype string as stored in the file ({@code F32}, {@code BF16}, …)
 * @param shape dimensions, empty for a scalar
 * @param dataStart first byte of the tensor data, relative to the end of the header
 * @param dataEnd one past the last byte of the tensor data, relative to the end of the header
 */
public record TensorInfo(String name, String dtype, List<Long> shape, long dataStart, long dataEnd) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        if (dataStart < 0 || dataEnd < dataStart) {
            throw new IllegalArgumentException(
                    "tensor " + name + ": data_offsets must satisfy 0 <= begin <= end, found [" + dataStart + ", "
                            + dataEnd + "]");
        }
    }

    /** Returns the number of elements: the product of the shape, 1 for a scalar. */
    public long elementCount() {
        long count = 1;
        for (long dimension : shape) {
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }

    /** Returns the shape as a {@code long[]} for DJL's {@code Shape}. */
    public long[] shapeArray() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }
}
