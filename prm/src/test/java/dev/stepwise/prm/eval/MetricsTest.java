package dev.stepwise.prm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rocAucWithoutTies() {
        assertEquals(0.75, BinaryMetrics.rocAuc(new float[] {0.1f, 0.4f, 0.35f, 0.8f},
                new boolean[] {false, false, true, true}), 1e-12);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // Positive/negative pairs: (0.5, 0.5) tie, (0.5, 0.2), (0.9, 0.5), (0.9, 0.2) → 3.5 / 4.
        assertEquals(0.875, BinaryMetrics.rocAuc(new float[] {0.5f, 0.5f, 0.2f, 0.9f},
                new boolean[] {true, false, false, true}), 1e-12);
    }

    @Test
    void rocAucUndefinedForOneClass() {
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new float[] {0.1f, 0.2f}, new boolean[] {true, true})));
    }

    @Test
    void accuracyAtThreshold() {
        assertEquals(0.75, BinaryMetrics.accuracy(new float[] {0.1f, 0.6f, 0.5f, 0.8f},
                new boolean[] {false, false, true, true}, 0.5), 1e-12);
    }

    private static final List<ProcessBench.Sample> SAMPLES = List.of(
            new ProcessBench.Sample(1, new float[] {0.9f, 0.3f, 0.2f}),
            new ProcessBench.Sample(0, new float[] {0.6f, 0.1f}),
            new ProcessBench.Sample(-1, new float[] {0.9f, 0.8f}),
            new ProcessBench.Sample(-1, new float[] {0.7f, 0.45f}));

    @Test
    void processBenchAtHalf() {
        ProcessBench.Result result = ProcessBench.evaluate(SAMPLES, 0.5);
        assertEquals(0.5, result.erroneousAccuracy(), 1e-12);
        assertEquals(0.5, result.correctAccuracy(), 1e-12);
        assertEquals(0.5, result.f1(), 1e-12);
    }

    @Test
    void processBenchSweepPicksBestThreshold() {
        // Below 0.45 the last correct sample passes and the first error of sample 2 is missed: F1 = 2/3.
        // Between 0.6 and 0.7 the reverse holds, also 2/3; 0.375 is the candidate nearer to 0.5.
        ProcessBench.Result result = ProcessBench.sweepThreshold(SAMPLES);
        assertEquals(2.0 / 3, result.f1(), 1e-12);
        assertEquals(0.375, result.threshold(), 1e-6);
        assertEquals(0.5, result.erroneousAccuracy(), 1e-12);
        assertEquals(1.0, result.correctAccuracy(), 1e-12);
    }

    @Test
    void firstErrorIsFirstStepBelowThreshold() {
        assertEquals(2, ProcessBench.predictFirstError(new float[] {0.9f, 0.5f, 0.49f, 0.1f}, 0.5));
        assertEquals(-1, ProcessBench.predictFirstError(new float[] {0.9f, 0.5f}, 0.5));
    }
}
