package dev.stepwise.dataset.autolabel;

import dev.stepwise.dataset.autolabel.AutolabelConfig.Strategy;
import dev.stepwise.dataset.autolabel.internal.InputDataset;
import dev.stepwise.dataset.autolabel.internal.OutputWriter;
import dev.stepwise.dataset.autolabel.internal.ProgressTracker;
import dev.stepwise.dataset.autolabel.internal.RecordLabels;
import dev.stepwise.dataset.autolabel.internal.RolloutLog;
import dev.stepwise.dataset.autolabel.internal.RolloutPrompts;
import dev.stepwise.dataset.autolabel.internal.RolloutStore;
import dev.stepwise.dataset.autolabel.internal.Trace;
import dev.stepwise.dataset.generate.GeneratorClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels the steps of a step dataset by Monte-Carlo rollouts from each step prefix (Math-Shepherd
 * style) and writes a step dataset with the labels and the per-step rollout counts.
 *
 * <p>Every finished request goes to the rollout log before it counts, so a job killed at any moment
 * and started again with the same settings samples only what is missing. Rollout seeds depend only
 * on the base seed, the record id, the step index and the sample index, so against a deterministic
 * server the resumed output is byte-identical to an uninterrupted run. A request that still fails
 * after the client's retries is logged with its reason and its step stays unlabeled; the next run
 * retries it.
 *
 * <p>One job runs once; it does not close the client.
 */
public final class AutolabelJob {

    private static final Logger LOG = LoggerFactory.getLogger(AutolabelJob.class);

    private final AutolabelConfig config;
    private final GeneratorClient client;
    private final CompletionGrader grader;

    public AutolabelJob(AutolabelConfig config, GeneratorClient client, CompletionGrader grader) {
        if (config == null || client == null || grader == null) {
            throw new IllegalArgumentException("AutolabelJob needs a config, a client and a grader, found config="
                    + config + " client=" + client + " grader=" + grader);
        }
        this.config = config;
        this.client = client;
        this.grader = grader;
    }

    /**
     * Runs the job to the end and writes the output.
     *
     * @param progress receives a snapshot every {@link AutolabelConfig#progressInterval()} and once at the end
     * @throws IOException when the input cannot be read or the log or output cannot be written
     * @throws IllegalArgumentException when the input is not usable or the log was written with other settings
     */
    public AutolabelSummary run(Consumer<AutolabelProgress> progress) throws IOException {
        long startNanos = System.nanoTime();
        InputDataset input = InputDataset.read(config.input());
        LOG.info("auto-labeling {} records of {} into {}: strategy {}, {} rollouts per step ({} per request), "
                        + "temperature {}, top_p {}, max tokens {}, seed {}, model {} at {}, log {}",
                input.traces().size(), config.input(), config.output(), config.strategy(), config.rollouts(),
                config.samplesPerRequest(), config.temperature(), config.topP(), config.maxTokens(), config.seed(),
                client.config().model(), client.config().baseUrl(), config.log());
        RolloutPrompts prompts = new RolloutPrompts(config.promptTemplate(), config.stepSeparator(), config.seed());
        RolloutStore.Sampling sampling = new RolloutStore.Sampling(config.rollouts(), config.samplesPerRequest(),
                config.temperature(), config.topP(), config.maxTokens(), config.stop());
        try (RolloutLog log = RolloutLog.open(config.log(), settings(input))) {
            RolloutStore store = new RolloutStore(log, client, grader, prompts, sampling);
            LOG.info("rollout log {}: {} rollouts from earlier runs", log.path(), store.rolloutsFromLog());
            List<RecordLabels> labels = label(input, prompts, store, progress);
            AutolabelSummary summary = OutputWriter.write(config, input, labels, store, client.config().model(),
                    Duration.ofNanos(System.nanoTime() - startNanos));
            LOG.info("auto-labeling finished in {}: {} of {} records written to {}, {} rollouts this run, {} resumed, "
                            + "{} failed requests, {} tokens", AutolabelProgress.formatDuration(summary.elapsed()),
                    summary.recordsWritten(), summary.recordsTotal(), summary.output(), summary.rolloutsThisRun(),
                    summary.rolloutsResumed(), summary.failuresByReason().values().stream().mapToLong(Long::longValue).sum(),
                    summary.promptTokens() + summary.completionTokens());
            return summary;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Returns the settings that decide rollout results, stored in the log header. */
    private Map<String, String> settings(InputDataset input) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("input_sha256", input.sha256());
        settings.put("model", client.config().model());
        settings.put("endpoint", client.config().endpoint().name());
        settings.put("rollouts", Integer.toString(config.rollouts()));
        settings.put("samples_per_request", Integer.toString(config.samplesPerRequest()));
        settings.put("temperature", Double.toString(config.temperature()));
        settings.put("top_p", Double.toString(config.topP()));
        settings.put("max_tokens", Integer.toString(config.maxTokens()));
        settings.put("stop", config.stop().toString());
        settings.put("seed", Long.toString(config.seed()));
        settings.put("prompt_template", config.promptTemplate());
        settings.put("step_separator", config.stepSeparator());
        return settings;
    }

    private List<RecordLabels> label(InputDataset input, RolloutPrompts prompts, RolloutStore store,
            Consumer<AutolabelProgress> progress) {
        List<Trace> traces = input.traces();
        char[] finalGrades = new char[traces.size()];
        String[] skipReasons = new String[traces.size()];
        for (Trace trace : traces) {
            skipReasons[trace.row()] = skipReason(trace);
            if (skipReasons[trace.row()] == null) {
                finalGrades[trace.row()] = store.finalGrade(trace, finalResponse(input, trace, prompts));
            }
        }
        long planned = config.strategy() == Strategy.MC ? plannedRollouts(input, skipReasons) : -1;
        try (ProgressTracker tracker = new ProgressTracker(store, traces.size(), planned, config.progressInterval(),
                progress)) {
            execute(input, finalGrades, skipReasons, store, tracker);
        }
        List<RecordLabels> labels = new ArrayList<>(traces.size());
        for (Trace trace : traces) {
            int row = trace.row();
            labels.add(skipReasons[row] != null ? RecordLabels.skipped(skipReasons[row])
                    : RecordLabels.of(config.strategy(), trace, finalGrades[row], !input.finalAnswerMissing()[row],
                            config.labels(), store.lookup()));
        }
        return labels;
    }

    private void execute(InputDataset input, char[] finalGrades, String[] skipReasons, RolloutStore store,
            ProgressTracker tracker) {
        ExecutorService workers = Executors.newFixedThreadPool(config.workers(), daemonThreads());
        Semaphore queueSlots = new Semaphore(config.workers() * 2);
        AtomicReference<RuntimeException> fatal = new AtomicReference<>();
        try {
            for (Trace trace : input.traces()) {
                int row = trace.row();
                if (skipReasons[row] != null) {
                    tracker.recordDone();
                    continue;
                }
                boolean finalGradeLabelsLast = !input.finalAnswerMissing()[row];
                List<Runnable> tasks = config.strategy() == Strategy.MC
                        ? monteCarloTasks(trace, finalGradeLabelsLast, store, tracker)
                        : List.of(() -> {
                            RecordLabels.firstError(trace, finalGrades[row], finalGradeLabelsLast, store.sampling());
                            tracker.recordDone();
                        });
                for (Runnable task : tasks) {
                    if (fatal.get() != null) {
                        break;
                    }
                    submit(workers, queueSlots, fatal, task);
                }
            }
        } finally {
            workers.shutdown();
            awaitQuietly(workers);
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    /** One task per missing request; the last task of a record to finish marks it done. */
    private List<Runnable> monteCarloTasks(Trace trace, boolean finalGradeLabelsLast, RolloutStore store,
            ProgressTracker tracker) {
        int probedSteps = finalGradeLabelsLast ? trace.steps().size() - 1 : trace.steps().size();
        List<int[]> missing = new ArrayList<>();
        for (int step = 0; step < probedSteps; step++) {
            for (int first = 0; first < config.rollouts(); first += config.samplesPerRequest()) {
                if (!store.isDone(trace.id(), step, first)) {
                    missing.add(new int[] {step, first});
                }
            }
        }
        if (missing.isEmpty()) {
            tracker.recordDone();
            return List.of();
        }
        AtomicInteger remaining = new AtomicInteger(missing.size());
        List<Runnable> tasks = new ArrayList<>(missing.size());
        for (int[] request : missing) {
            tasks.add(() -> {
                store.ensureRequest(trace, request[0], request[1]);
                if (remaining.decrementAndGet() == 0) {
                    tracker.recordDone();
                }
            });
        }
        return tasks;
    }

    private static void submit(ExecutorService workers, Semaphore queueSlots, AtomicReference<RuntimeException> fatal,
            Runnable task) {
        try {
            queueSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing rollout requests", e);
        }
        workers.execute(() -> {
            try {
                if (fatal.get() == null) {
                    task.run();
                }
            } catch (RuntimeException e) {
                if (fatal.compareAndSet(null, e)) {
                    LOG.error("auto-labeling stops: {}", e.getMessage(), e);
                }
            } finally {
                queueSlots.release();
            }
        });
    }

    private static void awaitQuietly(ExecutorService workers) {
        try {
            while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.debug("waiting for rollout workers to finish");
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for rollout workers", e);
        }
    }

    private long plannedRollouts(InputDataset input, String[] skipReasons) {
        long planned = 0;
        for (Trace trace : input.traces()) {
            if (skipReasons[trace.row()] == null) {
                int probed = input.finalAnswerMissing()[trace.row()] ? trace.steps().size() : trace.steps().size() - 1;
                planned += (long) probed * config.rollouts();
            }
        }
        return planned;
    }

    private static String skipReason(Trace trace) {
        if (trace.steps().isEmpty()) {
            return "no_steps";
        }
        if (trace.referenceAnswer() == null || trace.referenceAnswer().isBlank()) {
            return "no_reference_answer";
        }
        return null;
    }

    /** Returns the whole solution, or the row's final answer when the solution's last step was cut at import. */
    private static String finalResponse(InputDataset input, Trace trace, RolloutPrompts prompts) {
        return input.finalAnswerMissing()[trace.row()] ? input.finalAnswers().get(trace.row()) : prompts.solution(trace);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger ids = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "autolabel-worker-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
