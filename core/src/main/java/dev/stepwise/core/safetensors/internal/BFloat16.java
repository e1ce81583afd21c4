package dev.stepwise.core.safetensors.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between bfloat16 bit patterns and float32, done in Java because DJL cannot hold BF16 arrays. */
public final class BFloat16 {

    private BFloat16() {}

    /**
     * Widens little-endian bfloat16 values to a new direct little-endian float32 buffer. Exact: a bfloat16 is
     * the upper half of a float32.
     */
    public static ByteBuffer widen(ByteBuffer bf16) {
        ByteBuffer source = bf16.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int count = source.remaining() / 2;
        ByteBuffer target = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            int bits = source.getShort() & 0xFFFF;
            target.putInt(bits << 16);
        }
        target.flip();
        return target;
    }

    /** Narrows float32 values to little-endian bfloat16, rounding to nearest with ties to even; NaN stays NaN. */
    public static ByteBuffer narrow(ByteBuffer f32) {
        ByteBuffer source = f32.duplicate().order(ByteOrder.nativeOrder());
        int count = source.remaining() / 4;
        ByteBuffer target = ByteBuffer.allocateDirect(count * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            target.putShort(narrow(source.getFloat()));
        }
        target.flip();
        return target;
    }

    /** Returns the bfloat16 bit pattern nearest to a float, ties to even. */
    public static short narrow(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Returns the float32 value of a bfloat16 bit pattern. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
