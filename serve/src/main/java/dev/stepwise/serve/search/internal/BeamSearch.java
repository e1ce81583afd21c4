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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PRM-guided beam search; with {@code lookaheadSteps > 0}, lookahead search. See {@link BeamConfig}
 * for the round structure.
 *
 * <p>Per round the search makes one generator request per kept beam, one PRM request for all new
 * steps and, for lookahead, one greedy generator request per candidate and rollout step and one PRM
 * request for all rollout ends. Blank steps (the generator stopped at once) are dropped.
 */
public final class BeamSearch implements SearchStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(BeamSearch.class);

    private final SearchContext context;
    private final BeamConfig config;

    public BeamSearch(SearchContext context, BeamConfig config) {
        this.context = context;
        this.config = config;
    }

    @Override
    public String name() {
        String base = config.lookaheadSteps() > 0
                ? String.format(Locale.ROOT, "lookahead(width=%d,expansions=%d,k=%d", config.width(),
                        config.expansions(), config.lookaheadSteps())
                : String.format(Locale.ROOT, "beam(width=%d,expansions=%d", config.width(), config.expansions());
        return base + ",aggregate=" + config.aggregate().name().toLowerCase(Locale.ROOT)
                + (config.scoring() == BeamConfig.ScoringMode.FULL_PREFIX ? ",scoring=full-prefix" : "") + ")";
    }

    @Override
    public SearchResult search(Problem problem) {
        Calls calls = new Calls(context);
        List<Candidate> active = List.of(new Candidate(0, new Trace(problem.problem(), List.of()), List.of(), null, 0));
        List<Candidate> finished = new ArrayList<>();
        List<Candidate> lastKept = List.of();
        for (int round = 0; round < config.maxSteps() && !active.isEmpty(); round++) {
            List<Candidate> candidates = expand(calls, active, round);
            candidates = scoreNewSteps(calls, candidates);
            if (config.lookaheadSteps() > 0) {
                candidates = valueByLookahead(calls, candidates);
            }
            List<Candidate> kept = candidates.stream().sorted(Candidate.BY_VALUE).limit(config.width()).toList();
            List<Candidate> next = new ArrayList<>();
            for (Candidate candidate : kept) {
                if (candidate.answer() != null) {
                    finished.add(candidate.withIndex(finished.size()));
                } else {
                    next.add(candidate);
                }
            }
            LOG.debug("problem {} round {}: {} candidates, kept {}, finished {}", problem.id(), round,
                    candidates.size(), kept.size(), finished.size());
            if (!kept.isEmpty()) {
                lastKept = kept;
            }
            active = next;
            if (finished.size() >= config.width()) {
                break;
            }
        }
        Candidate chosen = choose(finished, lastKept, problem);
        if (chosen == null) {
            return new SearchResult(problem.id(), name(), List.of(), null, List.of(), null, calls.meter().snapshot(),
                    List.of());
        }
        return new SearchResult(problem.id(), name(), chosen.trace().steps(), chosen.answer(), chosen.stepScores(),
                null, calls.meter().snapshot(), List.of());
    }

    /** Samples next steps of every active beam; the first round samples width * expansions from the root. */
    private List<Candidate> expand(Calls calls, List<Candidate> active, int round) {
        int perBeam = round == 0 ? config.width() * config.expansions() : config.expansions();
        var settings = context.settings();
        List<Candidate> candidates = new ArrayList<>();
        for (int b = 0; b < active.size(); b++) {
            Candidate beam = active.get(b);
            long seed = SolutionText.seed(settings.seed(), round, b);
            for (StepGenerator.Sample sample : calls.sampleSteps(beam.trace(), perBeam, settings.temperature(), seed)) {
                if (sample.text().isBlank()) {
                    continue;
                }
                String answer = context.judge().extract(sample.text()).orElse(null);
                candidates.add(new Candidate(candidates.size(), beam.trace().extend(sample.text()), beam.stepScores(),
                        answer, 0));
            }
        }
        return candidates;
    }

    /** Scores the new last step of every candidate in one request and ranks by the aggregate. */
    private List<Candidate> scoreNewSteps(Calls calls, List<Candidate> candidates) {
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

    /**
     * Rolls each unfinished candidate up to lookaheadSteps greedy steps ahead (stopping at a final
     * answer) and values it by the stepScore of the rollout's last step. Finished candidates keep
     * the score of their own last step.
     */
    private List<Candidate> valueByLookahead(Calls calls, List<Candidate> candidates) {
        List<Candidate> rolled = new ArrayList<>();
        List<Trace> rollouts = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.answer() != null) {
                continue;
            }
            Trace rollout = rollOut(calls, candidate.trace());
            if (rollout.steps().size() > candidate.trace().steps().size()) {
                rolled.add(candidate);
                rollouts.add(rollout);
            }
        }
        List<Candidate> valued = new ArrayList<>();
        for (Candidate candidate : candidates) {
            valued.add(candidate.withValue(candidate.stepScores().get(candidate.stepScores().size() - 1)));
        }
        if (rollouts.isEmpty()) {
            return valued;
        }
        List<Double> ends = calls.scoreLastSteps(rollouts, config.scoring() == BeamConfig.ScoringMode.INCREMENTAL);
        for (int i = 0; i < rolled.size(); i++) {
            Candidate candidate = rolled.get(i);
            valued.set(candidate.index(), candidate.withValue(ends.get(i)));
        }
        return valued;
    }

    private Trace rollOut(Calls calls, Trace start) {
        Trace rollout = start;
        for (int step = 0; step < config.lookaheadSteps(); step++) {
            String text = calls.sampleSteps(rollout, 1, 0.0, context.settings().seed()).get(0).text();
            if (text.isBlank()) {
                break;
            }
            rollout = rollout.extend(text);
            if (context.judge().extract(text).isPresent()) {
                break;
            }
        }
        return rollout;
    }

    /**
     * Returns the finished solution with the highest aggregate, or when none finished within the step
     * budget, the best beam of the last round (it states no final answer). Returns null when the
     * generator produced only blank steps.
     */
    private Candidate choose(List<Candidate> finished, List<Candidate> lastKept, Problem problem) {
        List<Candidate> pool = finished.isEmpty() ? lastKept : finished;
        if (pool.isEmpty()) {
            LOG.warn("problem {}: the generator returned only blank steps, so beam search has no solution;"
                    + " check the prompt layout and the step separator", problem.id());
            return null;
        }
        if (finished.isEmpty()) {
            LOG.debug("problem {}: no beam reached a final answer within {} steps", problem.id(), config.maxSteps());
        }
        return pool.stream()
                .map(c -> c.withValue(config.aggregate().apply(c.stepScores())))
                .sorted(Candidate.BY_VALUE)
                .findFirst()
                .orElseThrow();
    }
}
