package dev.stepwise.dataset.autolabel.internal;

import dev.stepwise.dataset.autolabel.CompletionGrader;
import dev.stepwise.dataset.generate.Completion;
import dev.stepwise.dataset.generate.CompletionRequest;
import dev.stepwise.dataset.generate.GenerationException;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.grading.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished rollouts of a job, keyed by request, backed by the rollout log. Missing requests are
 * sampled, graded and appended to the log before they become visible here. Thread-safe.
 */
public final class RolloutStore {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutStore.class);

    /**
     * Sampling settings of every rollout request.
     *
     * @param rollouts N, completions per step
     * @param samplesPerRequest completions per HTTP request
     */
    public record Sampling(int rollouts, int samplesPerRequest, double temperature, double topP, int maxTokens,
            List<String> stop) {
    }

    private final RolloutLog log;
    private final GeneratorClient client;
    private final CompletionGrader grader;
    private final RolloutPrompts prompts;
    private final Sampling sampling;
    private final Map<LogEntry.ProbeKey, LogEntry.Probe> probes = new ConcurrentHashMap<>();
    private final Map<LogEntry.ProbeKey, LogEntry.Failed> failures = new ConcurrentHashMap<>();
    private final Map<String, Character> finalGrades = new ConcurrentHashMap<>();
    private final Map<String, Long> failuresByReason = new ConcurrentHashMap<>();
    private final AtomicLong rolloutsThisRun = new AtomicLong();
    private final AtomicLong rolloutsFromLog = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();

    public RolloutStore(RolloutLog log, GeneratorClient client, CompletionGrader grader, RolloutPrompts prompts,
            Sampling sampling) {
        this.log = log;
        this.client = client;
        this.grader = grader;
        this.prompts = prompts;
        this.sampling = sampling;
        int failedEarlier = 0;
        for (LogEntry entry : log.entries()) {
            if (entry instanceof LogEntry.Probe probe) {
                if (probes.putIfAbsent(probe.key(), probe) == null) {
                    rolloutsFromLog.addAndGet(probe.verdicts().length());
                    promptTokens.addAndGet(probe.promptTokens());
                    completionTokens.addAndGet(probe.completionTokens());
                }
            } else if (entry instanceof LogEntry.FinalGrade grade) {
                finalGrades.putIfAbsent(grade.record(), grade.verdict());
            } else {
                failedEarlier++;
            }
        }
        if (failedEarlier > 0) {
            LOG.info("rollout log {} lists {} failed requests from earlier runs; they are retried", log.path(),
                    failedEarlier);
        }
    }

    /** Returns whether the request starting at sample {@code first} of a step is in the log. */
    public boolean isDone(String recordId, int step, int first) {
        return probes.containsKey(new LogEntry.ProbeKey(recordId, step, first));
    }

    /**
     * Samples and grades one request unless the log has it. A generation failure is logged and
     * recorded, not thrown.
     *
     * @throws UncheckedIOException when the log cannot be written; the job must stop
     */
    public void ensureRequest(Trace trace, int step, int first) {
        LogEntry.ProbeKey key = new LogEntry.ProbeKey(trace.id(), step, first);
        if (probes.containsKey(key)) {
            return;
        }
        int count = Math.min(sampling.samplesPerRequest(), sampling.rollouts() - first);
        long seed = prompts.stepSeed(trace.id(), step) + first;
        CompletionRequest request = CompletionRequest.ofPrompt(prompts.prompt(trace, step))
                .withN(count)
                .withSeed(seed)
                .withTemperature(sampling.temperature())
                .withTopP(sampling.topP())
                .withMaxTokens(sampling.maxTokens())
                .withStop(sampling.stop());
        try {
            List<Completion> completions = client.complete(request);
            LogEntry.Probe probe = grade(trace, step, first, completions, count);
            append(probe);
            failures.remove(key);
            probes.put(key, probe);
            rolloutsThisRun.addAndGet(count);
            promptTokens.addAndGet(probe.promptTokens());
            completionTokens.addAndGet(probe.completionTokens());
        } catch (GenerationException e) {
            if (e.reason() == GenerationException.Reason.INTERRUPTED) {
                throw e;
            }
            LOG.error("record {} step {} samples {}..{}: generation failed for good: {}", trace.id(), step, first,
                    first + count - 1, e.getMessage());
            LogEntry.Failed failed = new LogEntry.Failed(trace.id(), step, first, count, e.reason().name(), e.detail());
            append(failed);
            failures.put(key, failed);
            failuresByReason.merge(e.reason().name(), 1L, Long::sum);
        }
    }

    /** Returns the final grade of the record, grading and logging it when the log has none. */
    public char finalGrade(Trace trace, String response) {
        Character known = finalGrades.get(trace.id());
        if (known != null) {
            return known;
        }
        char verdict = response == null ? Verdicts.UNGRADABLE : gradeSafely(trace, -1, -1, response);
        append(new LogEntry.FinalGrade(trace.id(), verdict));
        finalGrades.put(trace.id(), verdict);
        return verdict;
    }

    /** Returns a probe source that samples missing requests, for the labeling run itself. */
    public ProbeSource sampling() {
        return (trace, step) -> {
            for (int first = 0; first < sampling.rollouts(); first += sampling.samplesPerRequest()) {
                ensureRequest(trace, step, first);
            }
            return lookup().probe(trace, step);
        };
    }

    /**
     * Returns a probe source that only reads finished requests.
     *
     * @throws IllegalStateException from {@code probe} when a request is neither finished nor failed,
     *     which is a bug in the job
     */
    public ProbeSource lookup() {
        return (trace, step) -> {
            StringBuilder verdicts = new StringBuilder(sampling.rollouts());
            for (int first = 0; first < sampling.rollouts(); first += sampling.samplesPerRequest()) {
                LogEntry.ProbeKey key = new LogEntry.ProbeKey(trace.id(), step, first);
                LogEntry.Probe probe = probes.get(key);
                if (probe != null) {
                    verdicts.append(probe.verdicts());
                    continue;
                }
                LogEntry.Failed failed = failures.get(key);
                if (failed == null) {
                    throw new IllegalStateException("record " + trace.id() + " step " + step + " sample " + first
                            + " has neither rollouts nor a failure after the run; this is a bug");
                }
                throw new ProbeSource.ProbeFailedException(failed.reason(), failed.message());
            }
            return Counts.of(verdicts);
        };
    }

    public long rolloutsThisRun() {
        return rolloutsThisRun.get();
    }

    public long rolloutsFromLog() {
        return rolloutsFromLog.get();
    }

    /** Prompt tokens of all logged requests, earlier runs included. */
    public long promptTokens() {
        return promptTokens.get();
    }

    /** Completion tokens of all logged requests, earlier runs included. */
    public long completionTokens() {
        return completionTokens.get();
    }

    /** Requests of this run that failed for good, by {@code GenerationException.Reason} name. */
    public Map<String, Long> failuresByReason() {
        return Map.copyOf(failuresByReason);
    }

    /** Counts of every rollout letter in the store, over all steps and runs. */
    public Map<Character, Long> verdictCounts() {
        Map<Character, Long> counts = new java.util.TreeMap<>();
        for (LogEntry.Probe probe : probes.values()) {
            for (char letter : probe.verdicts().toCharArray()) {
                counts.merge(letter, 1L, Long::sum);
            }
        }
        return counts;
    }

    private LogEntry.Probe grade(Trace trace, int step, int first, List<Completion> completions, int count) {
        StringBuilder verdicts = new StringBuilder(count);
        long completionTokenSum = 0;
        for (int i = 0; i < count; i++) {
            Completion completion = completions.get(i);
            completionTokenSum += completion.completionTokens();
            if ("length".equals(completion.finishReason())) {
                verdicts.append(Verdicts.TRUNCATED);
            } else {
                verdicts.append(gradeSafely(trace, step, first + i, completion.text()));
            }
        }
        // Servers bill the prompt once per HTTP request; one-by-one fallback sends it count times.
        long requestsSent = client.nUnsupported() ? count : 1;
        long promptTokenSum = (long) completions.get(0).promptTokens() * requestsSent;
        return new LogEntry.Probe(trace.id(), step, first, verdicts.toString(), promptTokenSum, completionTokenSum);
    }

    private char gradeSafely(Trace trace, int step, int sample, String response) {
        try {
            Verdict verdict = grader.grade(response, trace.referenceAnswer(), trace.problem());
            return Verdicts.letter(verdict);
        } catch (RuntimeException e) {
            LOG.error("record {} step {} sample {}: the grader failed, counting the completion as ungradable",
                    trace.id(), step, sample, e);
            return Verdicts.UNGRADABLE;
        }
    }

    private void append(LogEntry entry) {
        try {
            log.append(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to rollout log " + log.path() + ": " + e.getMessage(), e);
        }
    }
}
