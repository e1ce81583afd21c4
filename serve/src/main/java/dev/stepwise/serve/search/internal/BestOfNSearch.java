package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.BestOfNConfig;
import dev.stepwise.serve.search.BestOfNConfig.Selection;
import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.SearchResult;
import dev.stepwise.serve.search.SearchStrategy;
import dev.stepwise.serve.search.StepGenerator;
import dev.stepwise.serve.search.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-of-N over complete solutions. Candidates whose text states no final answer are kept but
 * ranked below every candidate with one, whatever their scores. An empty solution is never scored.
 */
public final class BestOfNSearch implements SearchStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(BestOfNSearch.class);

    private final SearchContext context;
    private final BestOfNConfig config;

    public BestOfNSearch(SearchContext context, BestOfNConfig config) {
        this.context = context;
        this.config = config;
        if (config.selection() == Selection.ORM && context.answerScorer() == null) {
            throw new IllegalArgumentException("best-of-n with selection orm needs an ORM, but the search context has"
                    + " no answerScorer; pass an ORM or choose selection prm or weighted-vote");
        }
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "best-of-n(n=%d,selection=%s,aggregate=%s)", config.n(),
                config.selection().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                config.aggregate().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public SearchResult search(Problem problem) {
        Calls calls = new Calls(context);
        List<Candidate> candidates = sample(calls, problem);
        List<Candidate> scored = score(calls, candidates);
        Candidate chosen = config.selection() == Selection.WEIGHTED_VOTE ? vote(scored) : best(scored);
        LOG.debug("problem {}: chose candidate {} of {} (answer {}, value {})", problem.id(), chosen.index(),
                scored.size(), chosen.answer(), chosen.value());
        Double outcome = config.selection() == Selection.ORM ? chosen.value() : null;
        return new SearchResult(problem.id(), name(), chosen.trace().steps(), chosen.answer(), chosen.stepScores(),
                outcome, calls.meter().snapshot(), List.of());
    }

    private List<Candidate> sample(Calls calls, Problem problem) {
        var settings = context.settings();
        List<StepGenerator.Sample> samples =
                calls.sampleSolutions(problem.problem(), config.n(), settings.temperature(), settings.seed());
        List<Candidate> candidates = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            String text = samples.get(i).text();
            List<String> steps = SolutionText.split(text, settings.stepSeparator());
            String answer = context.judge().extract(text).orElse(null);
            candidates.add(new Candidate(i, new Trace(problem.problem(), steps), List.of(), answer,
                    Double.NEGATIVE_INFINITY));
        }
        return candidates;
    }

    /** Scores the non-empty candidates in one request and sets each candidate's value. */
    private List<Candidate> score(Calls calls, List<Candidate> candidates) {
        List<Candidate> nonEmpty = candidates.stream().filter(c -> !c.trace().steps().isEmpty()).toList();
        if (nonEmpty.isEmpty()) {
            return candidates;
        }
        List<Trace> traces = nonEmpty.stream().map(Candidate::trace).toList();
        List<Candidate> scored = new ArrayList<>(candidates);
        if (config.selection() == Selection.ORM) {
            List<Double> outcomes = calls.scoreAnswers(traces);
            for (int i = 0; i < nonEmpty.size(); i++) {
                Candidate c = nonEmpty.get(i);
                scored.set(c.index(), c.withValue(outcomes.get(i)));
            }
            return scored;
        }
        List<List<Double>> stepScores = calls.scoreSteps(traces);
        for (int i = 0; i < nonEmpty.size(); i++) {
            Candidate c = nonEmpty.get(i);
            List<Double> scores = stepScores.get(i);
            scored.set(c.index(), new Candidate(c.index(), c.trace(), scores, c.answer(),
                    config.aggregate().apply(scores)));
        }
        return scored;
    }

    private static Candidate best(List<Candidate> candidates) {
        return candidates.stream().sorted(Candidate.ANSWERED_THEN_VALUE).findFirst().orElseThrow();
    }

    /**
     * Groups answered candidates by graded-equal answers and returns the best member of the group
     * with the largest summed value. Groups are compared by sum, then by their first member's index.
     */
    private Candidate vote(List<Candidate> candidates) {
        List<List<Candidate>> groups = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.answer() == null) {
                continue;
            }
            List<Candidate> group = groups.stream()
                    .filter(g -> context.judge().equivalent(candidate.answer(), g.get(0).answer()))
                    .findFirst()
                    .orElse(null);
            if (group == null) {
                group = new ArrayList<>();
                groups.add(group);
            }
            group.add(candidate);
        }
        if (groups.isEmpty()) {
            return best(candidates);
        }
        List<Candidate> winner = groups.get(0);
        double winnerWeight = weight(winner);
        for (List<Candidate> group : groups.subList(1, groups.size())) {
            double weight = weight(group);
            if (weight > winnerWeight) {
                winner = group;
                winnerWeight = weight;
            }
        }
        return best(winner);
    }

    private static double weight(List<Candidate> group) {
        return group.stream().mapToDouble(Candidate::value).sum();
    }
}
