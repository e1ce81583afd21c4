package dev.stepwise.dataset;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitAssignerTest {

    @Test
    void sameProblemAlwaysSameSplit() {
        SplitAssigner assigner = new SplitAssigner(0.8, 0.1, "");
        assertEquals(assigner.assign("What is 2+2?"), assigner.assign("  What is\n2+2?  "));
        assertEquals(assigner.assign("What is 2+2?"), new SplitAssigner(0.8, 0.1, "").assign("What is 2+2?"));
    }

    @Test
    void assignmentsArePinned() {
        SplitAssigner assigner = new SplitAssigner(0.5, 0.25, "");
        List<SplitAssigner.Split> expected = List.of(SplitAssigner.Split.TEST, SplitAssigner.Split.TEST,
                SplitAssigner.Split.VALIDATION, SplitAssigner.Split.TRAIN, SplitAssigner.Split.TEST);
        List<SplitAssigner.Split> found = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            found.add(assigner.assign("problem " + i));
        }
        assertEquals(expected, found);
    }

    @Test
    void fractionsHoldOnManyProblems() {
        SplitAssigner assigner = new SplitAssigner(0.5, 0.25, "");
        Map<SplitAssigner.Split, Integer> counts = new EnumMap<>(SplitAssigner.Split.class);
        for (int i = 0; i < 10_000; i++) {
            counts.merge(assigner.assign("problem " + i), 1, Integer::sum);
        }
        int train = counts.get(SplitAssigner.Split.TRAIN);
        int validation = counts.get(SplitAssigner.Split.VALIDATION);
        assertTrue(Math.abs(train - 5000) < 200, "train " + train);
        assertTrue(Math.abs(validation - 2500) < 200, "validation " + validation);
    }

    @Test
    void fractionsAreChecked() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new SplitAssigner(0.9, 0.2, ""));
        assertTrue(error.getMessage().contains("train 0.9, validation 0.2"), error.getMessage());
    }
}
