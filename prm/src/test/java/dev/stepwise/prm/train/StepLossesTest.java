package dev.stepwise.prm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.internal.HeadMath;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepLossesTest {

    // Three steps with logits z = [2, -1, 0].
    private static final float[] LOGITS = {2f, -1f, 0f};

    @Test
    void hardLabelsWithIgnoredStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray loss = StepLosses.binaryCrossEntropyMean(manager.create(LOGITS),
                    manager.create(new float[] {1f, 0f, StepLosses.IGNORE_LABEL}));
            // log(1 + e^-2) = 0.126928011 and log(1 + e^-1) = 0.313261687; the third step is ignored.
            assertEquals((0.126928011 + 0.313261687) / 2, loss.getFloat(), 1e-6);
        }
    }

    @Test
    void softMonteCarloTargets() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray loss = StepLosses.binaryCrossEntropyMean(manager.create(LOGITS),
                    manager.create(new float[] {0.9f, 0.2f, 0.5f}));
            // 2 - 1.8 + 0.126928011, 0 + 0.2 + 0.313261687, log 2.
            assertEquals((0.326928011 + 0.513261687 + 0.693147181) / 3, loss.getFloat(), 1e-6);
        }
    }

    @Test
    void extremeLogitsStayFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray loss = StepLosses.binaryCrossEntropySum(manager.create(new float[] {200f, -200f}),
                    manager.create(new float[] {0f, 1f}));
            assertEquals(400f, loss.getFloat(), 1e-3);
        }
    }

    @Test
    void twoClassCrossEntropyEqualsLogitDifference() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0f, 2f, 1f, 0f, 5f, 5f}, new Shape(3, 2));
            NDArray labels = manager.create(new float[] {1f, 0f, 1f});
            NDArray softmaxCrossEntropy = logits.logSoftmax(1).mul(manager.create(
                    new float[] {0f, 1f, 1f, 0f, 0f, 1f}, new Shape(3, 2))).sum().neg();
            NDArray viaDifference = StepLosses.binaryCrossEntropySum(
                    logits.get(":, 1").sub(logits.get(":, 0")), labels);
            assertEquals(softmaxCrossEntropy.getFloat(), viaDifference.getFloat(), 1e-6);
        }
    }

    @Test
    void twoClassHeadWithHandWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> head = Map.of(
                    "score.0.weight", manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)),
                    "score.0.bias", manager.create(new float[] {0, 0}),
                    "score.2.weight", manager.create(new float[] {0, 0, 1, -1}, new Shape(2, 2)),
                    "score.2.bias", manager.create(new float[] {0f, 0.5f}));
            NDArray features = manager.create(new float[] {1, 3, -2, 1}, new Shape(2, 2));
            float[] z = HeadMath.positiveLogits(HeadKind.TWO_CLASS, head, features).toFloatArray();
            // Row 1: relu([1, 3]) → logits [0, 1 - 3 + 0.5]. Row 2: relu([-2, 1]) = [0, 1] → [0, -1 + 0.5].
            assertEquals(-1.5f, z[0], 1e-6);
            assertEquals(-0.5f, z[1], 1e-6);
        }
    }

    @Test
    void labelOutsideRangeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepLosses.labelledCount(new float[] {1f, 2f}));
        assertEquals("label at index 1 must be in [0, 1] or -100.0, found 2.0", e.getMessage());
    }
}
