package dev.stepwise.orm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class OutcomeLossesTest {

    @Test
    void bradleyTerryWithMarginAndCentering() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // x = r_chosen - r_rejected - margin = [1, -2.5].
            // -log σ(1) = log(1 + e^-1) = 0.3132617; -log σ(-2.5) = 2.5 + log(1 + e^-2.5) = 2.5788897.
            double plain = OutcomeLosses.bradleyTerrySum(manager.create(new float[] {1f, 0f}),
                    manager.create(new float[] {0f, 2f}), manager.create(new float[] {0f, 0.5f}), 0).getFloat();
            assertEquals(0.3132617 + 2.5788897, plain, 1e-5);
            // Centering adds 0.01 · ((1 + 0)² + (0 + 2)²) = 0.05.
            double centred = OutcomeLosses.bradleyTerrySum(manager.create(new float[] {1f, 0f}),
                    manager.create(new float[] {0f, 2f}), manager.create(new float[] {0f, 0.5f}), 0.01).getFloat();
            assertEquals(0.3132617 + 2.5788897 + 0.05, centred, 1e-5);
        }
    }

    @Test
    void pairwiseAccuracyCountsTiesAsMisses() {
        assertEquals(1.0 / 3, OutcomeMetrics.pairwiseAccuracy(new float[] {0.9f, 0.2f, 0.5f},
                new float[] {0.1f, 0.3f, 0.5f}), 1e-12);
    }
}
