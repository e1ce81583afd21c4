package dev.stepwise.serve.search;

import java.util.List;
import java.util.Objects;

/**
 * The adaptive strategy: answer greedily, and escalate through {@code ladder} while the reward
 * models do not accept the answer.
 *
 * @param ladder strategies tried in order after the greedy answer, at least one; not adaptive itself
 * @param thresholds when an answer is accepted
 * @param computeBudget per problem, in {@link ComputeCost#computeTokens()}: no further rung starts
 *     once this much is spent; 0 for no budget
 */
public record AdaptiveConfig(List<StrategySpec> ladder, Thresholds thresholds, long computeBudget) {

    public AdaptiveConfig {
        ladder = List.copyOf(ladder);
        if (ladder.isEmpty()) {
            throw new IllegalArgumentException("the adaptive ladder needs at least one strategy after greedy, found none");
        }
        for (int i = 0; i < ladder.size(); i++) {
            if (ladder.get(i) instanceof StrategySpec.Adaptive) {
                throw new IllegalArgumentException("ladder rung " + i + " is itself adaptive; use a fixed strategy");
            }
        }
        Objects.requireNonNull(thresholds, "thresholds");
        if (computeBudget < 0) {
            throw new IllegalArgumentException("computeBudget must be >= 0 tokens (0 for none), found " + computeBudget);
        }
    }

    public AdaptiveConfig withThresholds(Thresholds value) {
        return new AdaptiveConfig(ladder, value, computeBudget);
    }
}
