package dev.stepwise.serve.search;

import java.util.Objects;

/**
 * PRM-guided beam search, and lookahead search when {@code lookaheadSteps > 0}.
 *
 * <p>The first round samples {@code width * expansions} first steps. Every round scores each new
 * step, keeps the {@code width} best candidates, moves those that state a final answer to the
 * finished set and expands each of the others with {@code expansions} sampled next steps. The
 * search stops when {@code width} solutions are finished, no candidate is left, or after
 * {@code maxSteps} rounds.
 *
 * @param width beams kept per round, 1 to 256
 * @param expansions next-step samples per kept beam, 1 to 256
 * @param maxSteps step budget: rounds before the search stops, 1 to 1000
 * @param lookaheadSteps 0 for beam search; k &gt; 0 rolls every candidate k greedy steps ahead and
 *     ranks it by the stepScore of the rollout's last step
 * @param aggregate ranks beams and finished solutions by their stepScores; ignored for the ranking of
 *     candidates when lookaheadSteps &gt; 0
 * @param scoring whether new steps are scored through the prefix cache or by rescoring the whole prefix
 */
public record BeamConfig(
        int width, int expansions, int maxSteps, int lookaheadSteps, StepAggregate aggregate, ScoringMode scoring) {

    /** Way of scoring a new step. */
    public enum ScoringMode {
        /** Only the new step's tokens are run; the prefix comes from the scoring service's cache. */
        INCREMENTAL,
        /** The whole prefix is scored again for every new step; for comparison. */
        FULL_PREFIX
    }

    public BeamConfig {
        requireRange("width", width, 1, 256);
        requireRange("expansions", expansions, 1, 256);
        requireRange("maxSteps", maxSteps, 1, 1000);
        requireRange("lookaheadSteps", lookaheadSteps, 0, 100);
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(scoring, "scoring");
    }

    /** Beam search with incremental scoring and ranking by the last stepScore. */
    public static BeamConfig beam(int width, int expansions, int maxSteps) {
        return new BeamConfig(width, expansions, maxSteps, 0, StepAggregate.LAST, ScoringMode.INCREMENTAL);
    }

    /** Lookahead search with incremental scoring. */
    public static BeamConfig lookahead(int width, int expansions, int maxSteps, int lookaheadSteps) {
        if (lookaheadSteps < 1) {
            throw new IllegalArgumentException("lookahead search needs lookaheadSteps >= 1, found " + lookaheadSteps);
        }
        return new BeamConfig(width, expansions, maxSteps, lookaheadSteps, StepAggregate.LAST, ScoringMode.INCREMENTAL);
    }

    public BeamConfig withScoring(ScoringMode mode) {
        return new BeamConfig(width, expansions, maxSteps, lookaheadSteps, aggregate, mode);
    }

    public BeamConfig withAggregate(StepAggregate value) {
        return new BeamConfig(width, expansions, maxSteps, lookaheadSteps, value, scoring);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], found " + value);
        }
    }
}
