package dev.stepwise.core.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.model.RopeScaling;

/**
 * Rotary position embeddings in the rotate-half convention of {@code transformers}' Llama: the two halves of each
 * head are the real and imaginary parts. Frequencies are computed with float32 tensor operations in the order
 * {@code transformers} uses, so they round the same way.
 */
public final class Rotary {

    private Rotary() {}

    /**
     * Returns the inverse frequencies θ^(−2i/headDim), i &lt; headDim/2, as a float32 vector on the device of
     * {@code like}, after the config's {@code rope_scaling}.
     */
    public static NDArray inverseFrequencies(ModelConfig config, NDArray like) {
        int headDim = config.headDim();
        NDArray exponents = arange(like, 0, headDim, 2).toType(DataType.FLOAT32, false).div(headDim);
        NDArray inverse = scalar(like, config.ropeTheta()).pow(exponents).pow(-1);
        RopeScaling scaling = config.ropeScaling();
        return switch (scaling.type()) {
            case DEFAULT -> inverse;
            case LINEAR -> inverse.div((float) scaling.factor());
            case LLAMA3 -> llama3(inverse, scaling, like);
        };
    }

    /**
     * Applies Llama 3's scaling: wavelengths above original/lowFreqFactor are divided by the factor, those below
     * original/highFreqFactor are kept, and those between are blended linearly in original/wavelength.
     */
    private static NDArray llama3(NDArray inverse, RopeScaling scaling, NDArray like) {
        float factor = (float) scaling.factor();
        double original = scaling.originalMaxPositionEmbeddings();
        double lowFrequencyWavelength = original / scaling.lowFreqFactor();
        double highFrequencyWavelength = original / scaling.highFreqFactor();

        NDArray wavelength = scalar(like, 2 * Math.PI).div(inverse);
        NDArray scaled = NDArrays.where(wavelength.gt(lowFrequencyWavelength), inverse.div(factor), inverse);
        NDArray smooth = scalar(like, original).div(wavelength).sub(scaling.lowFreqFactor())
                .div(scaling.highFreqFactor() - scaling.lowFreqFactor());
        NDArray smoothed = smooth.neg().add(1).mul(scaled).div(factor).add(smooth.mul(scaled));
        NDArray medium = wavelength.gte(highFrequencyWavelength).logicalAnd(wavelength.lte(lowFrequencyWavelength));
        return NDArrays.where(medium, smoothed, scaled);
    }

    /**
     * Returns cos and sin of shape (B, 1, T, headDim) for (B, T) int64 positions: angle = position · frequency,
     * the headDim/2 frequencies repeated for the second half.
     */
    public static NDArray[] cosSin(NDArray positions, NDArray inverseFrequencies) {
        NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(2).mul(inverseFrequencies.expandDims(0));
        NDArray doubled = angles.concat(angles, 2).expandDims(1);
        return new NDArray[] {doubled.cos(), doubled.sin()};
    }

    /** Rotates (B, heads, T, headDim) queries or keys: x·cos + rotateHalf(x)·sin, rotateHalf(a, b) = (−b, a). */
    public static NDArray apply(NDArray x, NDArray[] cosSin) {
        long half = x.getShape().get(3) / 2;
        NDArray first = x.get(NDIndex.sliceAxis(3, 0, half));
        NDArray second = x.get(NDIndex.sliceAxis(3, half, 2 * half));
        NDArray rotated = second.neg().concat(first, 3);
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }

    /** Returns int64 [start, stop) on the device of {@code like}, which may differ from its manager's device. */
    static NDArray arange(NDArray like, int start, int stop, int step) {
        return like.getManager().arange(start, stop, step, DataType.INT64).toDevice(like.getDevice(), false);
    }

    private static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value).toDevice(like.getDevice(), false);
    }
}
