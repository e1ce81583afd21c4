package dev.stepwise.dataset.autolabel;

import dev.stepwise.dataset.LabelPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link AutolabelJob}.
 *
 * <p>The rollout log beside the output makes the job resumable. Its header stores the settings that
 * decide what a rollout returns (rollouts, samples per request, sampling, seed, prompt, model, input
 * file hash), and a restart with different values is rejected. {@code strategy} and {@code labels}
 * are not among them: both strategies share rollouts, so switching strategy or label type reuses the
 * log.
 *
 * @param input step dataset (Arrow IPC) to label, as written by {@code stepwise dataset import}
 * @param output step dataset to write; written through a temporary file and a rename
 * @param log rollout log path; null means {@code output} with {@code .rollouts.jsonl} appended
 * @param strategy how steps are probed
 * @param labels HARD stores 0/1 labels as int8, SOFT stores fractions as float32
 * @param rollouts completions sampled per probed step (N), 1 to {@link #MAX_ROLLOUTS}
 * @param samplesPerRequest completions per HTTP request (the OpenAI {@code n}), 1 to {@code rollouts}
 * @param temperature sampling temperature, at least 0
 * @param topP nucleus sampling mass in (0, 1]
 * @param maxTokens longest completion in tokens; a completion cut at this limit is not graded
 * @param stop stop sequences for completions; empty means the server's end of sequence only
 * @param seed base seed; rollout seeds are derived from it, the record id, the step index and the sample index
 * @param promptTemplate prompt text with the placeholders {@code {problem}} and {@code {steps}}
 * @param stepSeparator text after each step of the prefix, so the model starts a new step
 * @param workers probes in flight at once; HTTP concurrency is also capped by the generator client
 * @param progressInterval time between progress reports
 */
public record AutolabelConfig(
        Path input,
        Path output,
        Path log,
        Strategy strategy,
        LabelPolicy.LabelType labels,
        int rollouts,
        int samplesPerRequest,
        double temperature,
        double topP,
        int maxTokens,
        List<String> stop,
        long seed,
        String promptTemplate,
        String stepSeparator,
        int workers,
        Duration progressInterval) {

    /** Probing strategy. */
    public enum Strategy {
        /** Every step except the last is probed with N rollouts; the last step is graded directly. */
        MC,
        /**
         * Binary search for the first step whose prefix reaches the reference in none of its N
         * rollouts, assuming that once a prefix fails every longer prefix fails too.
         */
        FIRST_ERROR
    }

    /** Largest rollouts per step; rollout seeds stay below 2^31 up to this count. */
    public static final int MAX_ROLLOUTS = 1 << 16;
    public static final int DEFAULT_ROLLOUTS = 8;
    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final int DEFAULT_MAX_TOKENS = 1024;
    public static final String DEFAULT_PROMPT_TEMPLATE = "{problem}\n\n{steps}";
    public static final String DEFAULT_STEP_SEPARATOR = "\n\n";
    public static final int DEFAULT_WORKERS = 16;

    public AutolabelConfig {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(labels, "labels");
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("output must differ from input, found both " + input);
        }
        if (log == null) {
            log = output.resolveSibling(output.getFileName() + ".rollouts.jsonl");
        }
        if (rollouts < 1 || rollouts > MAX_ROLLOUTS) {
            throw new IllegalArgumentException("rollouts must be in [1, " + MAX_ROLLOUTS + "], found: " + rollouts);
        }
        if (samplesPerRequest < 1 || samplesPerRequest > rollouts) {
            throw new IllegalArgumentException("samplesPerRequest must be in [1, rollouts=" + rollouts + "], found: "
                    + samplesPerRequest);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, found: " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], found: " + topP);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, found: " + maxTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        Objects.requireNonNull(promptTemplate, "promptTemplate");
        if (!promptTemplate.contains("{problem}") || !promptTemplate.contains("{steps}")) {
            throw new IllegalArgumentException("promptTemplate must contain {problem} and {steps}, found: '"
                    + promptTemplate + "'");
        }
        if (stepSeparator == null || stepSeparator.isEmpty()) {
            throw new IllegalArgumentException("stepSeparator must be non-empty, found: " + stepSeparator);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, found: " + workers);
        }
        if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progressInterval must be positive, found: " + progressInterval);
        }
    }

    /** MC strategy, soft labels, 8 rollouts in one request each, temperature 0.7, the default prompt. */
    public static AutolabelConfig defaults(Path input, Path output) {
        return new AutolabelConfig(input, output, null, Strategy.MC, LabelPolicy.LabelType.SOFT, DEFAULT_ROLLOUTS,
                DEFAULT_ROLLOUTS, DEFAULT_TEMPERATURE, 1.0, DEFAULT_MAX_TOKENS, List.of(), 0L,
                DEFAULT_PROMPT_TEMPLATE, DEFAULT_STEP_SEPARATOR, DEFAULT_WORKERS, Duration.ofSeconds(1));
    }

    public AutolabelConfig withStrategy(Strategy value) {
        return new AutolabelConfig(input, output, log, value, labels, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, stop, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withLabels(LabelPolicy.LabelType value) {
        return new AutolabelConfig(input, output, log, strategy, value, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, stop, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    /** Sets N and sends all N samples of a step in one request. */
    public AutolabelConfig withRollouts(int value) {
        return new AutolabelConfig(input, output, log, strategy, labels, value, Math.max(1, value), temperature, topP,
                maxTokens, stop, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withSamplesPerRequest(int value) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, value, temperature, topP,
                maxTokens, stop, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withSampling(double newTemperature, double newTopP, int newMaxTokens) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, samplesPerRequest, newTemperature,
                newTopP, newMaxTokens, stop, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withStop(List<String> value) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, value, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withSeed(long value) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, stop, value, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withPrompt(String template, String separator) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, stop, seed, template, separator, workers, progressInterval);
    }

    public AutolabelConfig withWorkers(int value) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, stop, seed, promptTemplate, stepSeparator, value, progressInterval);
    }

    public AutolabelConfig withLog(Path value) {
        return new AutolabelConfig(input, output, value, strategy, labels, rollouts, samplesPerRequest, temperature,
                topP, maxTokens, stop, seed, promptTemplate, stepSeparator, workers, progressInterval);
    }

    public AutolabelConfig withProgressInterval(Duration value) {
        return new AutolabelConfig(input, output, log, strategy, labels, rollouts, samplesPerRequest, temperature, topP,
                maxTokens, stop, seed, promptTemplate, stepSeparator, workers, value);
    }
}
