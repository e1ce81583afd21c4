package dev.stepwise.orm;

import dev.stepwise.dataset.grading.GradeResult;
import dev.stepwise.dataset.grading.Verdict;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Best-of-N selection: pick one of N candidate solutions per problem by reward scores and measure how often the
 * pick is correct.
 *
 * <p>Candidates with no extractable final answer are excluded before any aggregation. Otherwise the product of
 * step scores favours short unfinished solutions: two steps of 0.97 (product 0.941) would beat five steps of 0.97
 * that reach an answer (0.859). A problem whose candidates all lack an answer counts as wrong for every selector.
 */
public final class BestOfN {

    private BestOfN() {}

    /** Rule that picks a candidate. */
    public enum Selector {
        /** Highest minimum step score. */
        PRM_MIN,
        /** Highest score of the last step. */
        PRM_LAST,
        /** Highest product of step scores. */
        PRM_PRODUCT,
        /** Highest outcome score. */
        ORM,
        /** The answer whose candidates have the largest sum of minimum step scores. */
        PRM_WEIGHTED_MAJORITY,
        /** The most frequent answer; ties go to the answer seen first. */
        MAJORITY,
        /** A uniformly random candidate; its accuracy is the expected value, the fraction of correct candidates. */
        RANDOM
    }

    /**
     * One candidate solution.
     *
     * @param answer the normalised final answer, or null when none could be extracted
     * @param correct whether the answer matches the reference
     * @param stepScores PRM scores, one per step, or null when no PRM scored it
     * @param outcomeScore ORM score, or NaN when no ORM scored it
     */
    public record Candidate(String answer, boolean correct, float[] stepScores, float outcomeScore) {

        /**
         * Builds a candidate from a grading result: {@code normalized} is the answer, and verdicts
         * {@link Verdict#UNGRADABLE} and {@link Verdict#UNGRADABLE_TIMEOUT} mean no extractable answer.
         */
        public static Candidate graded(GradeResult grade, float[] stepScores, float outcomeScore) {
            boolean answered = grade.verdict() == Verdict.CORRECT || grade.verdict() == Verdict.INCORRECT;
            String answer = null;
            if (answered) {
                answer = grade.normalized() != null ? grade.normalized() : grade.extracted();
            }
            return new Candidate(answer, grade.isCorrect(), stepScores, outcomeScore);
        }

        boolean hasAnswer() {
            return answer != null;
        }
    }

    /**
     * Returns the index of the chosen candidate, or −1 when no candidate has an answer.
     *
     * @throws IllegalArgumentException when the selector needs scores a candidate lacks, or for {@link Selector#RANDOM},
     *     which has no single pick
     */
    public static int select(Selector selector, List<Candidate> candidates) {
        switch (selector) {
            case MAJORITY:
            case PRM_WEIGHTED_MAJORITY:
                return selectByVote(selector, candidates);
            case RANDOM:
                throw new IllegalArgumentException("RANDOM has no single pick; use accuracy() for its expected value");
            default:
                return selectByScore(selector, candidates);
        }
    }

    /**
     * Computes each selector's accuracy over problems, each a list of candidates.
     *
     * @return accuracy in [0, 1] per selector, in the order given
     */
    public static Map<Selector, Double> accuracy(List<List<Candidate>> problems, List<Selector> selectors) {
        Map<Selector, Double> result = new EnumMap<>(Selector.class);
        for (Selector selector : selectors) {
            double correct = 0;
            for (List<Candidate> candidates : problems) {
                correct += selector == Selector.RANDOM ? randomAccuracy(candidates) : pickIsCorrect(selector, candidates);
            }
            result.put(selector, problems.isEmpty() ? Double.NaN : correct / problems.size());
        }
        return result;
    }

    /** Score of one candidate under a score-based selector. */
    static double aggregate(Selector selector, Candidate candidate, int index) {
        if (selector == Selector.ORM) {
            if (Float.isNaN(candidate.outcomeScore())) {
                throw new IllegalArgumentException("selector ORM needs an outcome score, candidate " + index + " has none");
            }
            return candidate.outcomeScore();
        }
        float[] steps = candidate.stepScores();
        if (steps == null || steps.length == 0) {
            throw new IllegalArgumentException("selector " + selector + " needs step scores, candidate " + index
                    + " has " + (steps == null ? "none" : "zero steps"));
        }
        switch (selector) {
            case PRM_LAST:
                return steps[steps.length - 1];
            case PRM_PRODUCT: {
                double product = 1;
                for (float score : steps) {
                    product *= score;
                }
                return product;
            }
            default: {
                double minimum = Double.POSITIVE_INFINITY;
                for (float score : steps) {
                    minimum = Math.min(minimum, score);
                }
                return minimum;
            }
        }
    }

    private static int selectByScore(Selector selector, List<Candidate> candidates) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            if (!candidates.get(i).hasAnswer()) {
                continue;
            }
            double score = aggregate(selector, candidates.get(i), i);
            if (best < 0 || score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    private static int selectByVote(Selector selector, List<Candidate> candidates) {
        Map<String, Double> votes = new LinkedHashMap<>();
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            if (!candidate.hasAnswer()) {
                continue;
            }
            double weight = selector == Selector.MAJORITY ? 1 : aggregate(Selector.PRM_MIN, candidate, i);
            votes.merge(candidate.answer(), weight, Double::sum);
            firstIndex.putIfAbsent(candidate.answer(), i);
        }
        String winner = null;
        for (Map.Entry<String, Double> entry : votes.entrySet()) {
            if (winner == null || entry.getValue() > votes.get(winner)) {
                winner = entry.getKey();
            }
        }
        return winner == null ? -1 : firstIndex.get(winner);
    }

    private static double pickIsCorrect(Selector selector, List<Candidate> candidates) {
        int pick = select(selector, candidates);
        return pick >= 0 && candidates.get(pick).correct() ? 1 : 0;
    }

    private static double randomAccuracy(List<Candidate> candidates) {
        int answered = 0;
        int correct = 0;
        for (Candidate candidate : candidates) {
            if (candidate.hasAnswer()) {
                answered++;
                correct += candidate.correct() ? 1 : 0;
            }
        }
        return answered == 0 ? 0 : (double) correct / answered;
    }
}
