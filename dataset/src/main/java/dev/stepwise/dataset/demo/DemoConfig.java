package dev.stepwise.dataset.demo;

import java.util.Objects;

/**
 * What {@link DemoTraces} generates.
 *
 * @param problemCount number of problems, at least 1
 * @param samplesPerProblem solutions sampled per problem, at least 1
 * @param seed seed of every random draw; the same config gives the same records
 * @param policy the noisy policy that writes the solutions
 * @param idPrefix prefix of problem ids; ids are {@code idPrefix + index}
 */
public record DemoConfig(int problemCount, int samplesPerProblem, long seed, NoisyPolicy policy, String idPrefix) {
    public DemoConfig {
        if (problemCount < 1) {
            throw new IllegalArgumentException("problemCount must be >= 1, found " + problemCount);
        }
        if (samplesPerProblem < 1) {
            throw new IllegalArgumentException("samplesPerProblem must be >= 1, found " + samplesPerProblem);
        }
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(idPrefix, "idPrefix");
    }

    /** A config with {@link NoisyPolicy#DEFAULT} and problem ids {@code demo-0, demo-1, ...}. */
    public static DemoConfig of(int problemCount, int samplesPerProblem, long seed) {
        return new DemoConfig(problemCount, samplesPerProblem, seed, NoisyPolicy.DEFAULT, "demo-");
    }
}
