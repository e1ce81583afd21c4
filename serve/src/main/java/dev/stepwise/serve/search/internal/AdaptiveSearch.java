package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.AdaptiveConfig;
import dev.stepwise.serve.search.ComputeCost;
import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.RungTrace;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.SearchResult;
import dev.stepwise.serve.search.SearchStrategies;
import dev.stepwise.serve.search.SearchStrategy;
import dev.stepwise.serve.search.StrategySpec;
import dev.stepwise.serve.search.Thresholds;
import dev.stepwise.serve.search.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greedy answer first, then the ladder's strategies in order, until one answer clears the
 * thresholds or the compute budget is spent. When no rung is accepted, the result comes from the
 * last rung that ran.
 */
public final class AdaptiveSearch implements SearchStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveSearch.class);

    private final SearchContext context;
    private final AdaptiveConfig config;
    private final List<SearchStrategy> rungs;

    public AdaptiveSearch(SearchContext context, AdaptiveConfig config) {
        this.context = context;
        this.config = config;
        if (config.thresholds().outcomeScore() != null && context.answerScorer() == null) {
            throw new IllegalArgumentException("the adaptive thresholds include outcomeScore "
                    + config.thresholds().outcomeScore() + ", but the search context has no answerScorer (ORM);"
                    + " pass an ORM or set the outcomeScore threshold to null");
        }
        List<SearchStrategy> all = new ArrayList<>();
        all.add(new GreedySearch(context));
        for (StrategySpec spec : config.ladder()) {
            all.add(SearchStrategies.create(spec, context));
        }
        this.rungs = List.copyOf(all);
    }

    /** Returns the rung names, greedy first. */
    public List<String> rungNames() {
        return rungs.stream().map(SearchStrategy::name).toList();
    }

    @Override
    public String name() {
        return "adaptive" + rungNames().subList(1, rungs.size());
    }

    @Override
    public SearchResult search(Problem problem) {
        List<SearchResult> results = new ArrayList<>();
        Decision decision = decide(rungs.size(), rung -> {
            SearchResult result = withThresholdScores(problem, rungs.get(rung).search(problem), config.thresholds());
            results.add(result);
            return trace(rungs.get(rung).name(), result);
        }, config.thresholds(), config.computeBudget());
        SearchResult answer = results.get(decision.answeringRung());
        LOG.debug("problem {}: rung {} ({}) answered, accepted {}, {} compute tokens", problem.id(),
                decision.answeringRung(), rungs.get(decision.answeringRung()).name(), decision.accepted(),
                decision.cost().computeTokens());
        return new SearchResult(problem.id(), name(), answer.steps(), answer.finalAnswer(), answer.stepScores(),
                answer.outcomeScore(), decision.cost(), decision.rungs());
    }

    /**
     * Runs every rung on {@code problem} regardless of the thresholds, for calibration. Each trace's
     * {@code accepted} is false.
     */
    public List<RungTrace> runAllRungs(Problem problem, boolean scoreOutcome) {
        Thresholds scoring = new Thresholds(0, scoreOutcome ? 0.0 : null);
        List<RungTrace> traces = new ArrayList<>();
        for (SearchStrategy rung : rungs) {
            traces.add(trace(rung.name(), withThresholdScores(problem, rung.search(problem), scoring)));
        }
        return traces;
    }

    /**
     * Applies the escalation rule that the live search and calibration share. It runs rungs in order
     * and stops at the first accepted one, or when the spent compute reaches {@code computeBudget}
     * (0 for no budget).
     */
    static Decision decide(int rungCount, IntFunction<RungTrace> runRung, Thresholds thresholds, long computeBudget) {
        List<RungTrace> traces = new ArrayList<>();
        ComputeCost total = ComputeCost.ZERO;
        for (int rung = 0; rung < rungCount; rung++) {
            RungTrace ran = runRung.apply(rung);
            boolean accepted = thresholds.accepts(ran.finalAnswer() != null, ran.minStepScore(), ran.outcomeScore());
            traces.add(new RungTrace(ran.rung(), ran.finalAnswer(), ran.minStepScore(), ran.outcomeScore(), accepted,
                    ran.cost()));
            total = total.plus(ran.cost());
            if (accepted) {
                return new Decision(rung, true, traces, total);
            }
            if (computeBudget > 0 && total.computeTokens() >= computeBudget) {
                break;
            }
        }
        return new Decision(traces.size() - 1, false, traces, total);
    }

    /** Adds the PRM stepScores and, when the thresholds use one, the ORM outcomeScore a rung did not compute. */
    private SearchResult withThresholdScores(Problem problem, SearchResult result, Thresholds thresholds) {
        if (result.steps().isEmpty()) {
            return result;
        }
        Calls calls = new Calls(context);
        Trace trace = new Trace(problem.problem(), result.steps());
        List<Double> stepScores = result.stepScores();
        if (stepScores.isEmpty()) {
            stepScores = calls.scoreSteps(List.of(trace)).get(0);
        }
        Double outcome = result.outcomeScore();
        if (outcome == null && thresholds.outcomeScore() != null) {
            outcome = calls.scoreAnswers(List.of(trace)).get(0);
        }
        return result.withScores(stepScores, outcome, result.cost().plus(calls.meter().snapshot()));
    }

    private static RungTrace trace(String name, SearchResult result) {
        return new RungTrace(name, result.finalAnswer(), result.minStepScore(), result.outcomeScore(), false,
                result.cost());
    }

    /** Which rung answered, whether it was accepted, every rung run, and the summed cost. */
    record Decision(int answeringRung, boolean accepted, List<RungTrace> rungs, ComputeCost cost) {}
}
