package dev.stepwise.prm.internal;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/** Clipping by the global L2 norm over all gradients, as {@code torch.nn.utils.clip_grad_norm_} does. */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Scales every gradient in place by {@code maxNorm / (norm + 1e-6)} when the global norm exceeds {@code maxNorm}.
     * Call inside an {@code NDScope}.
     *
     * @param maxNorm the norm limit; 0 or less only measures
     * @return the global norm before clipping, which is NaN or infinite when a gradient is
     */
    public static double clipByGlobalNorm(Collection<NDArray> gradients, double maxNorm) {
        NDArray total = null;
        for (NDArray gradient : gradients) {
            NDArray squares = gradient.square().sum();
            total = total == null ? squares : total.add(squares);
        }
        if (total == null) {
            return 0;
        }
        double norm = Math.sqrt(total.getFloat());
        if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (NDArray gradient : gradients) {
                gradient.muli(scale);
            }
        }
        return norm;
    }
}
