package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.dataset.TraceRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoTracesTest {

    @Test
    void seedSevenGivesPinnedRecords() {
        List<TraceRecord> records = DemoTraces.generate(DemoConfig.of(4, 2, 7));
        assertEquals(8, records.size());

        TraceRecord first = records.get(0);
        assertEquals("demo-0-s0", first.id());
        assertEquals("Notebooks cost 8 dollars each. Jonas buys 13 notebooks and a 42-dollar backpack. How many"
                + " dollars does Jonas spend?", first.problem());
        assertEquals(List.of("Step 1: 3 * 8 = 24, write 4 carry 2; 1 * 8 = 8; so 13 * 8 = 84",
                "Step 2: 4 + 2 = 6; 8 + 4 = 12; so 84 + 42 = 126", "The answer is 126"), first.steps());
        assertArrayEquals(new float[] {0, 0, 0}, first.stepLabels());
        assertEquals("126", first.finalAnswer());
        assertEquals("146", first.referenceAnswer());
        assertEquals(0f, first.outcomeLabel());

        TraceRecord flippedSign = records.get(4);
        assertEquals("demo-2-s0", flippedSign.id());
        assertEquals(List.of("Step 1: 14 - 17 = 3", "Step 2: 3 + 2 = 5; 0 + 1 = 1; so 3 + 12 = 15", "The answer is 15"),
                flippedSign.steps());
        assertArrayEquals(new float[] {0, 0, 0}, flippedSign.stepLabels());
        assertEquals("9", flippedSign.referenceAnswer());
        assertEquals(List.of("Step 1: 14 - 17 = -3", "Step 2: -3 + 12 = 9", "The answer is 9"), records.get(5).steps());

        TraceRecord decimals = records.get(6);
        assertEquals(List.of("Step 1: max(3.15, 3.7) = 3.7", "Step 2: 3.7 + 2.6 = 6.3", "The answer is 6.3"),
                decimals.steps());
        assertEquals(1f, decimals.outcomeLabel());
    }

    @Test
    void sameConfigSameRecords() {
        assertEquals(DemoTraces.generate(DemoConfig.of(20, 3, 11)), DemoTraces.generate(DemoConfig.of(20, 3, 11)));
    }

    @Test
    void familiesCycleInOrder() {
        List<ArithmeticProblem> problems = DemoTraces.problems(DemoConfig.of(8, 1, 1));
        for (int i = 0; i < problems.size(); i++) {
            assertEquals(ProblemFamily.values()[i % 4], problems.get(i).family(), "family of problem " + i);
        }
    }

    /**
     * The default policy must make majority voting fail often enough for a verifier to help: wrong
     * answers cluster (deterministic slips, per-problem difficulty), so the most frequent answer of 8
     * samples is wrong on many problems where some sample is right.
     */
    @Test
    void defaultPolicyLeavesRoomAboveMajorityVote() {
        int problems = 200;
        int samples = 8;
        List<TraceRecord> records = DemoTraces.generate(DemoConfig.of(problems, samples, 3));
        int correctTraces = 0;
        int majorityCorrect = 0;
        int anyCorrect = 0;
        for (int p = 0; p < problems; p++) {
            Map<String, Integer> votes = new HashMap<>();
            boolean any = false;
            List<TraceRecord> group = records.subList(p * samples, (p + 1) * samples);
            for (TraceRecord record : group) {
                votes.merge(record.finalAnswer(), 1, Integer::sum);
                if (record.outcomeLabel() == 1f) {
                    correctTraces++;
                    any = true;
                }
            }
            String majority = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            majorityCorrect += majority.equals(group.get(0).referenceAnswer()) ? 1 : 0;
            anyCorrect += any ? 1 : 0;
        }
        double traceAccuracy = correctTraces / (double) (problems * samples);
        assertTrue(traceAccuracy > 0.3, "trace accuracy " + traceAccuracy);
        assertTrue(traceAccuracy < 0.6, "trace accuracy " + traceAccuracy);
        assertTrue(anyCorrect - majorityCorrect >= problems / 5,
                "problems with a correct sample " + anyCorrect + ", majority correct " + majorityCorrect);
    }

    @Test
    void outcomeMatchesLastLabelUnlessSlipsCancel() {
        for (TraceRecord record : DemoTraces.generate(DemoConfig.of(100, 4, 5))) {
            float[] labels = record.stepLabels();
            if (labels[labels.length - 1] == 1f) {
                assertEquals(1f, record.outcomeLabel(), record.id());
            }
        }
    }
}
