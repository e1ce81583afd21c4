package dev.stepwise.core.safetensors.internal;

import ai.djl.ndarray.types.DataType;
import dev.stepwise.core.safetensors.SafetensorsFormatException;

/** The safetensors dtypes stepwise reads and writes, with their DJL counterparts. */
public enum StorageDtype {
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT16),
    // DJL has a BFLOAT16 type, but creating any BFLOAT16 array aborts the JVM in DJL 0.33 on PyTorch,
    // so BF16 tensors are widened to FLOAT32 in Java.
    BF16(2, DataType.FLOAT32),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32),
    I8(1, DataType.INT8),
    U8(1, DataType.UINT8),
    BOOL(1, DataType.BOOLEAN);

    private final int byteSize;
    private final DataType loadedType;

    StorageDtype(int byteSize, DataType loadedType) {
        this.byteSize = byteSize;
        this.loadedType = loadedType;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Returns the DJL type an array of this dtype gets once read. */
    public DataType loadedType() {
        return loadedType;
    }

    /** Parses a header dtype string, naming the tensor and file when the dtype is not supported. */
    public static StorageDtype parse(String dtype, String tensor, Object file) throws SafetensorsFormatException {
        for (StorageDtype value : values()) {
            if (value.name().equals(dtype)) {
                return value;
            }
        }
        throw new SafetensorsFormatException(
                file + ": tensor " + tensor + " has dtype " + dtype
                        + ", expected one of F32, F16, BF16, I64, I32, I8, U8, BOOL");
    }

    /** Returns the safetensors dtype that stores a DJL array type without conversion. */
    public static StorageDtype of(DataType type, String tensor) {
        return switch (type) {
            case FLOAT32 -> F32;
            case FLOAT16 -> F16;
            case INT64 -> I64;
            case INT32 -> I32;
            case INT8 -> I8;
            case UINT8 -> U8;
            case BOOLEAN -> BOOL;
            default -> throw new IllegalArgumentException(
                    "tensor " + tensor + " has data type " + type
                            + ", expected FLOAT32, FLOAT16, INT64, INT32, INT8, UINT8 or BOOLEAN");
        };
    }
}
