package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.Trace;
import java.util.Comparator;
import java.util.List;

/**
 * A partial or complete solution under consideration.
 *
 * @param index position in the order the generator produced candidates; breaks ties
 * @param trace the problem and the candidate's steps
 * @param stepScores PRM stepScores of the steps, empty when not scored
 * @param answer the final answer stated in the last step, or null
 * @param value the number candidates are ranked by
 */
record Candidate(int index, Trace trace, List<Double> stepScores, String answer, double value) {

    /**
     * Candidates with a final answer first, then by descending value, then by ascending index, so
     * equal values never depend on sort internals.
     */
    static final Comparator<Candidate> ANSWERED_THEN_VALUE = Comparator
            .comparing((Candidate c) -> c.answer() == null)
            .thenComparing(Comparator.comparingDouble(Candidate::value).reversed())
            .thenComparingInt(Candidate::index);

    /** Descending value, then ascending index. */
    static final Comparator<Candidate> BY_VALUE = Comparator
            .comparingDouble(Candidate::value).reversed()
            .thenComparingInt(Candidate::index);

    Candidate withValue(double newValue) {
        return new Candidate(index, trace, stepScores, answer, newValue);
    }

    Candidate withIndex(int newIndex) {
        return new Candidate(newIndex, trace, stepScores, answer, value);
    }
}
