package dev.stepwise.orm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.orm.BestOfN.Candidate;
import dev.stepwise.orm.BestOfN.Selector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BestOfNTest {

    private static Candidate candidate(String answer, boolean correct, float outcome, float... steps) {
        return new Candidate(answer, correct, steps, outcome);
    }

    @Test
    void productIgnoresUnfinishedShortCandidate() {
        // Two 0.97 steps and no answer: product 0.941. Five 0.97 steps with an answer: product 0.859.
        List<Candidate> candidates = List.of(
                candidate(null, false, Float.NaN, 0.97f, 0.97f),
                candidate("42", true, Float.NaN, 0.97f, 0.97f, 0.97f, 0.97f, 0.97f));
        assertEquals(1, BestOfN.select(Selector.PRM_PRODUCT, candidates));
        assertEquals(1, BestOfN.select(Selector.PRM_MIN, candidates));
        assertEquals(1, BestOfN.select(Selector.PRM_LAST, candidates));
    }

    @Test
    void selectorsOnOneProblem() {
        List<Candidate> candidates = List.of(
                candidate("5", false, 0.9f, 0.9f, 0.2f),
                candidate("6", true, 0.3f, 0.6f, 0.7f),
                candidate("6", true, 0.4f, 0.5f, 0.55f),
                candidate("5", false, 0.2f, 0.8f, 0.1f),
                candidate("5", false, 0.1f, 0.7f, 0.3f));
        assertEquals(1, BestOfN.select(Selector.PRM_MIN, candidates));
        assertEquals(1, BestOfN.select(Selector.PRM_PRODUCT, candidates));
        assertEquals(1, BestOfN.select(Selector.PRM_LAST, candidates));
        assertEquals(0, BestOfN.select(Selector.ORM, candidates));
        // Plain votes: "5" three times, "6" twice. Weighted by minimum step score: "5" 0.2 + 0.1 + 0.3 = 0.6,
        // "6" 0.6 + 0.5 = 1.1.
        assertEquals(0, BestOfN.select(Selector.MAJORITY, candidates));
        assertEquals(1, BestOfN.select(Selector.PRM_WEIGHTED_MAJORITY, candidates));

        Map<Selector, Double> accuracy = BestOfN.accuracy(List.of(candidates), List.of(Selector.values()));
        assertEquals(1.0, accuracy.get(Selector.PRM_MIN));
        assertEquals(0.0, accuracy.get(Selector.ORM));
        assertEquals(0.0, accuracy.get(Selector.MAJORITY));
        assertEquals(1.0, accuracy.get(Selector.PRM_WEIGHTED_MAJORITY));
        assertEquals(0.4, accuracy.get(Selector.RANDOM), 1e-12);
    }

    @Test
    void problemWithoutAnswersCountsAsWrong() {
        List<Candidate> none = List.of(candidate(null, false, 0.9f, 0.9f), candidate(null, false, 0.8f, 0.8f));
        List<Candidate> solved = List.of(candidate("1", true, 0.9f, 0.9f));
        assertEquals(-1, BestOfN.select(Selector.PRM_MIN, none));
        Map<Selector, Double> accuracy = BestOfN.accuracy(List.of(none, solved),
                List.of(Selector.PRM_MIN, Selector.MAJORITY, Selector.RANDOM));
        assertEquals(0.5, accuracy.get(Selector.PRM_MIN), 1e-12);
        assertEquals(0.5, accuracy.get(Selector.MAJORITY), 1e-12);
        assertEquals(0.5, accuracy.get(Selector.RANDOM), 1e-12);
    }
}
