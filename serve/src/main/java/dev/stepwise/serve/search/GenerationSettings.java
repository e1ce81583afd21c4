package dev.stepwise.serve.search;

import java.util.Objects;

/**
 * Prompt layout and sampling settings for the generator.
 *
 * <p>The prompt for a partial solution is the problem, the step separator, then each step followed
 * by the separator. A step is one completion stopped at the separator.
 *
 * @param stepSeparator text between steps, also the stop string for one step; default {@code "\n\n"}
 * @param maxStepTokens maximum tokens for one step; default 256
 * @param maxSolutionTokens maximum tokens for one complete solution; default 2048
 * @param temperature sampling temperature for sampled steps and solutions; default 0.8
 * @param seed base seed; each request derives its own seed from it; default 0
 */
public record GenerationSettings(
        String stepSeparator, int maxStepTokens, int maxSolutionTokens, double temperature, long seed) {

    public static final GenerationSettings DEFAULT = new GenerationSettings("\n\n", 256, 2048, 0.8, 0);

    public GenerationSettings {
        Objects.requireNonNull(stepSeparator, "stepSeparator");
        if (stepSeparator.isEmpty()) {
            throw new IllegalArgumentException("stepSeparator must not be empty");
        }
        if (maxStepTokens < 1) {
            throw new IllegalArgumentException("maxStepTokens must be >= 1, found " + maxStepTokens);
        }
        if (maxSolutionTokens < maxStepTokens) {
            throw new IllegalArgumentException("maxSolutionTokens must be >= maxStepTokens (" + maxStepTokens
                    + "), found " + maxSolutionTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, found " + temperature);
        }
    }
}
