package dev.stepwise.prm.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) over named float32 parameters, updated in place.
 *
 * <p>Per step t (1-based) and parameter p with gradient g: {@code p ← p·(1 − lr·wd)} for decayed parameters,
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²}, {@code p ← p − lr·(m/(1−β1^t)) / (sqrt(v/(1−β2^t)) + ε)}.
 * This is the update of {@code torch.optim.AdamW}. Weight decay applies to tensors with two or more axes only, so
 * biases and norm scales are not decayed. Moments live in the optimizer's own manager; not thread-safe.
 */
public final class AdamW implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    public AdamW(double beta1, double beta2, double epsilon, double weightDecay, NDManager parent) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
    }

    /**
     * Applies one update to every parameter that has a gradient. Call inside an {@code NDScope} so the temporaries
     * are freed.
     */
    public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double learningRate) {
        step++;
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            String name = entry.getKey();
            NDArray parameter = entry.getValue();
            NDArray gradient = gradients.get(name);
            NDArray m = firstMoments.computeIfAbsent(name, n -> moment(parameter));
            NDArray v = secondMoments.computeIfAbsent(name, n -> moment(parameter));
            m.muli(beta1).addi(gradient.mul(1 - beta1));
            v.muli(beta2).addi(gradient.square().mul(1 - beta2));
            if (weightDecay > 0 && parameter.getShape().dimension() >= 2) {
                parameter.muli(1 - learningRate * weightDecay);
            }
            NDArray denominator = v.div(correction2).sqrt().add(epsilon);
            parameter.subi(m.div(denominator).mul(learningRate / correction1));
        }
    }

    /** Number of updates applied so far. */
    public long stepCount() {
        return step;
    }

    /** Copies the moments into a list whose array names are {@code m/NAME} and {@code v/NAME}, for checkpoints. */
    public NDList exportState(NDManager target) {
        NDList state = new NDList();
        firstMoments.forEach((name, array) -> state.add(named(array.duplicate(), "m/" + name, target)));
        secondMoments.forEach((name, array) -> state.add(named(array.duplicate(), "v/" + name, target)));
        return state;
    }

    /** Restores moments written by {@link #exportState} and the step count. */
    public void importState(NDList state, long stepCount) {
        for (NDArray array : state) {
            String name = array.getName();
            NDArray copy = array.duplicate();
            NDScope.unregister(copy);
            copy.attach(manager);
            if (name.startsWith("m/")) {
                firstMoments.put(name.substring(2), copy);
            } else if (name.startsWith("v/")) {
                secondMoments.put(name.substring(2), copy);
            } else {
                throw new IllegalArgumentException("optimizer state array name must start with m/ or v/, found: " + name);
            }
        }
        this.step = stepCount;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Creates a zero moment that outlives the caller's {@code NDScope}. */
    private NDArray moment(NDArray parameter) {
        NDArray zeros = manager.zeros(parameter.getShape(), parameter.getDataType(), parameter.getDevice());
        NDScope.unregister(zeros);
        return zeros;
    }

    private static NDArray named(NDArray array, String name, NDManager target) {
        array.attach(target);
        array.setName(name);
        return array;
    }
}
