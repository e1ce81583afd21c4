package dev.stepwise.prm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmupThenCosine() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-4, 2, 7);
        assertEquals(0.5e-3, schedule.rateAt(0), 1e-12);
        assertEquals(1e-3, schedule.rateAt(1), 1e-12);
        assertEquals(1e-3, schedule.rateAt(2), 1e-12);
        // Halfway through the 4 decay intervals: minimum + (peak - minimum) / 2.
        assertEquals(0.55e-3, schedule.rateAt(4), 1e-12);
        assertEquals(1e-4, schedule.rateAt(6), 1e-12);
    }

    @Test
    void invalidValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 2e-3, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 0, 5, 5));
    }
}
