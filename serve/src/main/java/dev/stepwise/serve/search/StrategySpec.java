package dev.stepwise.serve.search;

import java.util.Objects;

/** A strategy and its configuration, as the CLI, the adaptive ladder and evaluations name them. */
public sealed interface StrategySpec {

    /** One solution at temperature 0. */
    record Greedy() implements StrategySpec {}

    /** Best-of-N over complete solutions. */
    record BestOfN(BestOfNConfig config) implements StrategySpec {
        public BestOfN {
            Objects.requireNonNull(config, "config");
        }
    }

    /** Beam search, or lookahead search when {@code config.lookaheadSteps() > 0}. */
    record Beam(BeamConfig config) implements StrategySpec {
        public Beam {
            Objects.requireNonNull(config, "config");
        }
    }

    /**
     * Diverse verifier tree search: {@code config.width()} independent subtrees, each expanded with
     * {@code config.expansions()} samples per round; {@code config.lookaheadSteps()} must be 0.
     */
    record DiverseTree(BeamConfig config) implements StrategySpec {
        public DiverseTree {
            Objects.requireNonNull(config, "config");
        }
    }

    /** Greedy first, escalating through a ladder of strategies while the reward models are not confident. */
    record Adaptive(AdaptiveConfig config) implements StrategySpec {
        public Adaptive {
            Objects.requireNonNull(config, "config");
        }
    }
}
