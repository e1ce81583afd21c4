package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.BeamConfig;
import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.SearchResult;
import dev.stepwise.serve.search.SearchStrategy;
import dev.stepwise.serve.search.StepGenerator;
import dev.stepwise.serve.search.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Diverse verifier tree search: the first round samples {@code width} first steps, and each becomes
 * the root of an independent subtree. Every later round expands each unfinished subtree's single
 * beam with {@code expansions} samples and keeps that subtree's best candidate, so one strong
 * branch cannot take over all beams as it can in beam search. The answer is the best finished
 * subtree by the aggregate, or the best unfinished one after {@code maxSteps} rounds.
 *
 * <p>Per round: one generator request per unfinished subtree and one PRM request for all new steps.
 */
public final class DiverseTreeSearch implements SearchStrategy {

    private final SearchContext context;
    private final BeamConfig config;

    public DiverseTreeSearch(SearchContext context, BeamConfig config) {
        if (config.lookaheadSteps() != 0) {
            throw new IllegalArgumentException("diverse tree search takes no lookahead, found lookaheadSteps="
                    + config.lookaheadSteps());
        }
        this.context = context;
        this.config = config;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "dvts(subtrees=%d,expansions=%d,aggregate=%s%s)", config.width(),
                config.expansions(), config.aggregate().name().toLowerCase(Locale.ROOT),
                config.scoring() == BeamConfig.ScoringMode.FULL_PREFIX ? ",scoring=full-prefix" : "");
    }

    @Override
    public SearchResult search(Problem problem) {
        Calls calls = new Calls(context);
        var settings = context.settings();
        Trace root = new Trace(problem.problem(), List.of());
        List<Candidate> subtrees = new ArrayList<>();
        for (StepGenerator.Sample sample : calls.sampleSteps(root, config.width(), settings.temperature(),
                SolutionText.seed(settings.seed(), 0, 0))) {
            if (sample.text().isBlank()) {
                continue;
            }
            subtrees.add(new Candidate(subtrees.size(), root.extend(sample.text()), List.of(),
                    context.judge().extract(sample.text()).orElse(null), 0));
        }
        subtrees = score(calls, subtrees);
        for (int round = 1; round < config.maxSteps(); round++) {
            if (subtrees.stream().allMatch(s -> s.answer() != null)) {
                break;
            }
            subtrees = expand(calls, subtrees, round);
        }
        if (subtrees.isEmpty()) {
            return new SearchResult(problem.id(), name(), List.of(), null, List.of(), null, calls.meter().snapshot(),
                    List.of());
        }
        Candidate chosen = subtrees.stream().sorted(Candidate.ANSWERED_THEN_VALUE).findFirst().orElseThrow();
        return new SearchResult(problem.id(), name(), chosen.trace().steps(), chosen.answer(), chosen.stepScores(),
                null, calls.meter().snapshot(), List.of());
    }

    /** Expands every unfinished subtree and keeps each subtree's best candidate in its place. */
    private List<Candidate> expand(Calls calls, List<Candidate> subtrees, int round) {
        var settings = context.settings();
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (Candidate subtree : subtrees) {
            if (subtree.answer() != null) {
                continue;
            }
            long seed = SolutionText.seed(settings.seed(), round, subtree.index());
            for (StepGenerator.Sample sample : calls.sampleSteps(subtree.trace(), config.expansions(),
                    settings.temperature(), seed)) {
                if (sample.text().isBlank()) {
                    continue;
                }
                candidates.add(new Candidate(candidates.size(), subtree.trace().extend(sample.text()),
                        subtree.stepScores(), context.judge().extract(sample.text()).orElse(null), 0));
                owners.add(subtree.index());
            }
        }
        List<Candidate> scored = score(calls, candidates);
        java.util.Map<Integer, Candidate> best = new java.util.HashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            Candidate current = best.get(owners.get(i));
            if (current == null || scored.get(i).value() > current.value()) {
                best.put(owners.get(i), scored.get(i));
            }
        }
        List<Candidate> next = new ArrayList<>(subtrees);
        best.forEach((owner, winner) -> next.set(owner,
                new Candidate(owner, winner.trace(), winner.stepScores(), winner.answer(), winner.value())));
        return next;
    }

    /** Scores the last step of every candidate in one request and sets each value to the aggregate. */
    private List<Candidate> score(Calls calls, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        boolean incremental = config.scoring() == BeamConfig.ScoringMode.INCREMENTAL;
        List<Double> last = calls.scoreLastSteps(candidates.stream().map(Candidate::trace).toList(), incremental);
        List<Candidate> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            List<Double> stepScores = new ArrayList<>(c.stepScores());
            stepScores.add(last.get(i));
            scored.add(new Candidate(c.index(), c.trace(), stepScores, c.answer(), config.aggregate().apply(stepScores)));
        }
        return scored;
    }
}
