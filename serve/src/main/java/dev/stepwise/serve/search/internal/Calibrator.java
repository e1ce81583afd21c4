package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.AdaptiveConfig;
import dev.stepwise.serve.search.Calibration;
import dev.stepwise.serve.search.CalibrationTarget;
import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.RungTrace;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.StrategySpec;
import dev.stepwise.serve.search.Thresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses adaptive thresholds on validation problems. Every rung runs once per problem; each
 * candidate threshold pair is then replayed with {@link AdaptiveSearch#decide}, the same rule the
 * live search uses, so the recorded accuracy and compute are what a live run with the same seeds
 * spends.
 */
public final class Calibrator {

    private static final Logger LOG = LoggerFactory.getLogger(Calibrator.class);

    /**
     * Candidate values per threshold. More distinct scores are thinned to evenly spaced order
     * statistics, so a large validation set with an ORM replays at most 128 × 128 pairs.
     */
    static final int MAX_CANDIDATES = 128;

    private Calibrator() {}

    /** See {@link Calibration#fit}. */
    public static Calibration fit(
            SearchContext context, List<StrategySpec> ladder, long computeBudget, List<Problem> validation,
            CalibrationTarget target) {
        if (validation.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one validation problem, found none");
        }
        for (Problem problem : validation) {
            if (problem.referenceAnswer() == null) {
                throw new IllegalArgumentException("validation problem '" + problem.id()
                        + "' has no reference answer; calibration grades every rung against it");
            }
        }
        boolean useOrm = context.answerScorer() != null;
        AdaptiveSearch search = new AdaptiveSearch(context, new AdaptiveConfig(ladder, new Thresholds(0, null), computeBudget));
        List<List<RungTrace>> traces = new ArrayList<>();
        List<boolean[]> correct = new ArrayList<>();
        for (Problem problem : validation) {
            List<RungTrace> rungs = search.runAllRungs(problem, useOrm);
            traces.add(rungs);
            boolean[] right = new boolean[rungs.size()];
            for (int r = 0; r < rungs.size(); r++) {
                String answer = rungs.get(r).finalAnswer();
                right[r] = answer != null && context.judge().equivalent(answer, problem.referenceAnswer());
            }
            correct.add(right);
        }
        Outcome best = choose(traces, correct, candidates(traces, useOrm), computeBudget, target);
        Calibration calibration = new Calibration(best.thresholds, target, search.rungNames(), validation.size(),
                best.accuracy(validation.size()), best.averageCompute(validation.size()), best.reaches(target,
                        validation.size()));
        if (!calibration.targetReached()) {
            LOG.warn("no thresholds reach the target {} on {} validation problems; chose {} with accuracy {} at {}"
                    + " compute tokens per problem", target, validation.size(), calibration.thresholds(),
                    calibration.accuracy(), calibration.averageComputeTokens());
        }
        LOG.info("calibrated adaptive thresholds {} for {}: accuracy {}, {} compute tokens per problem on {} problems",
                calibration.thresholds(), target, calibration.accuracy(), calibration.averageComputeTokens(),
                validation.size());
        return calibration;
    }

    /** Returns the rung names of the adaptive strategy {@code config} describes, greedy first. */
    public static List<String> rungNames(SearchContext context, AdaptiveConfig config) {
        return new AdaptiveSearch(context, config).rungNames();
    }

    /** Candidate thresholds: 0 and every score seen, ascending; the ORM threshold only when an ORM is used. */
    private static List<Thresholds> candidates(List<List<RungTrace>> traces, boolean useOrm) {
        TreeSet<Double> prm = new TreeSet<>(List.of(0.0));
        TreeSet<Double> orm = new TreeSet<>(List.of(0.0));
        for (List<RungTrace> rungs : traces) {
            for (RungTrace rung : rungs) {
                if (rung.minStepScore() != null) {
                    prm.add(clamp(rung.minStepScore()));
                }
                if (rung.outcomeScore() != null) {
                    orm.add(clamp(rung.outcomeScore()));
                }
            }
        }
        List<Thresholds> all = new ArrayList<>();
        for (double p : thin(prm)) {
            if (!useOrm) {
                all.add(new Thresholds(p, null));
                continue;
            }
            for (double o : thin(orm)) {
                all.add(new Thresholds(p, o));
            }
        }
        return all;
    }

    /** Returns at most {@link #MAX_CANDIDATES} evenly spaced values of {@code sorted}, the first and last included. */
    private static List<Double> thin(TreeSet<Double> sorted) {
        List<Double> values = new ArrayList<>(sorted);
        if (values.size() <= MAX_CANDIDATES) {
            return values;
        }
        List<Double> thinned = new ArrayList<>(MAX_CANDIDATES);
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            int index = (int) Math.round(i * (values.size() - 1) / (double) (MAX_CANDIDATES - 1));
            thinned.add(values.get(index));
        }
        return thinned;
    }

    private static double clamp(double score) {
        return Math.max(0, Math.min(1, score));
    }

    private static Outcome choose(
            List<List<RungTrace>> traces, List<boolean[]> correct, List<Thresholds> candidates, long computeBudget,
            CalibrationTarget target) {
        int problems = traces.size();
        Outcome best = null;
        for (Thresholds thresholds : candidates) {
            Outcome outcome = replay(traces, correct, thresholds, computeBudget);
            if (best == null || outcome.betterThan(best, target, problems)) {
                best = outcome;
            }
        }
        return best;
    }

    private static Outcome replay(
            List<List<RungTrace>> traces, List<boolean[]> correct, Thresholds thresholds, long computeBudget) {
        int right = 0;
        long compute = 0;
        for (int p = 0; p < traces.size(); p++) {
            List<RungTrace> rungs = traces.get(p);
            AdaptiveSearch.Decision decision = AdaptiveSearch.decide(rungs.size(), rungs::get, thresholds, computeBudget);
            if (correct.get(p)[decision.answeringRung()]) {
                right++;
            }
            compute += decision.cost().computeTokens();
        }
        return new Outcome(thresholds, right, compute);
    }

    /** Replayed result of one threshold pair: correct answers and total compute tokens. */
    private record Outcome(Thresholds thresholds, int correct, long computeTokens) {

        double accuracy(int problems) {
            return (double) correct / problems;
        }

        double averageCompute(int problems) {
            return (double) computeTokens / problems;
        }

        boolean reaches(CalibrationTarget target, int problems) {
            return target.kind() == CalibrationTarget.Kind.ACCURACY
                    ? accuracy(problems) >= target.value() - 1e-12
                    : averageCompute(problems) <= target.value();
        }

        /**
         * Prefers outcomes that reach the target. Among those, a budget target prefers higher accuracy
         * and then lower compute, an accuracy target lower compute and then higher accuracy. Among
         * outcomes that miss, the one closest to the target wins. Equal outcomes keep the earlier,
         * lower thresholds.
         */
        boolean betterThan(Outcome other, CalibrationTarget target, int problems) {
            boolean reaches = reaches(target, problems);
            boolean otherReaches = other.reaches(target, problems);
            if (reaches != otherReaches) {
                return reaches;
            }
            boolean accuracyFirst = (target.kind() == CalibrationTarget.Kind.COMPUTE_BUDGET) == reaches;
            if (accuracyFirst) {
                return correct != other.correct ? correct > other.correct : computeTokens < other.computeTokens;
            }
            return computeTokens != other.computeTokens ? computeTokens < other.computeTokens : correct > other.correct;
        }
    }
}
