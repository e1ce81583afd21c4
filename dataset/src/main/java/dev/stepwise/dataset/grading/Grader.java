package dev.stepwise.dataset.grading;

import dev.stepwise.dataset.grading.internal.Deadline;
import dev.stepwise.dataset.grading.internal.GradingEngine;
import dev.stepwise.dataset.grading.internal.GradingStoppedException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a response's final answer is the reference answer.
 *
 * <p>Both texts go through the same extraction and normalisation (see {@link AnswerExtractor} and
 * {@code docs/grading.md}), so for answers that are not relations {@code grade(a, b)} and
 * {@code grade(b, a)} give the same verdict.
 *
 * <p>Each call runs on a daemon worker thread and waits at most {@link GraderOptions#deadline()}.
 * When the deadline passes, the call returns {@link Verdict#UNGRADABLE_TIMEOUT} and interrupts the
 * worker, which also checks the deadline itself and stops at its next check. Size limits (answer
 * length, nesting depth, bits of exact numbers) give the same verdict without waiting.
 *
 * <p>Thread-safe: one instance may serve any number of threads. Workers are created on demand and
 * exit after 60 s idle, so there is nothing to close.
 */
public final class Grader {

    private static final Logger LOG = LoggerFactory.getLogger(Grader.class);
    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

    private final GraderOptions options;
    private final GradingEngine engine;
    private final ExecutorService workers;

    /** Grader with {@link GraderOptions#DEFAULTS}. */
    public Grader() {
        this(GraderOptions.DEFAULTS);
    }

    /** Grader with {@code options}; see {@link GraderOptions#DEFAULTS} for each default. */
    public Grader(GraderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.engine = new GradingEngine(options);
        this.workers = Executors.newCachedThreadPool(daemonThreads());
    }

    /** Returns the options this grader was built with. */
    public GraderOptions options() {
        return options;
    }

    /** Grades {@code solutionOrAnswer} against {@code reference} with no question context. */
    public GradeResult grade(String solutionOrAnswer, String reference) {
        return grade(solutionOrAnswer, reference, GradeContext.NONE);
    }

    /**
     * Grades with the question text, which decides whether lists compare unordered
     * ({@link GradeContext#ofQuestion}). {@code question} may be null.
     */
    public GradeResult grade(String solutionOrAnswer, String reference, String question) {
        return grade(solutionOrAnswer, reference, GradeContext.ofQuestion(question));
    }

    /**
     * Grades one response against one reference answer.
     *
     * @param solutionOrAnswer a whole solution or just an answer, not null
     * @param reference a reference answer or reference solution, not null
     * @param context per-call question facts, not null ({@link GradeContext#NONE} for none)
     */
    public GradeResult grade(String solutionOrAnswer, String reference, GradeContext context) {
        Objects.requireNonNull(solutionOrAnswer, "solutionOrAnswer");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        long deadlineNanos = options.deadline().toNanos();
        Deadline deadline = Deadline.after(deadlineNanos);
        GradingEngine.Progress progress = new GradingEngine.Progress();
        Future<GradeResult> future = workers.submit(
                () -> engine.grade(solutionOrAnswer, reference, context, deadline, progress));
        try {
            return future.get(deadlineNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.debug("grading stopped at the deadline of {} ms", options.deadline().toMillis());
            return progress.result(Verdict.UNGRADABLE_TIMEOUT);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return progress.result(Verdict.UNGRADABLE_TIMEOUT);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GradingStoppedException || cause instanceof StackOverflowError) {
                LOG.debug("grading stopped: {}", cause.getMessage());
                return progress.result(Verdict.UNGRADABLE_TIMEOUT);
            }
            throw new IllegalStateException("grading failed on response of " + solutionOrAnswer.length()
                    + " characters; this is a bug", cause);
        }
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "stepwise-grader-" + THREAD_COUNTER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
