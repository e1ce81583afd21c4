package dev.stepwise.dataset.autolabel.internal;

import dev.stepwise.dataset.autolabel.AutolabelProgress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports {@link AutolabelProgress} at a fixed interval from a daemon thread. */
public final class ProgressTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);

    private final RolloutStore store;
    private final int recordsTotal;
    private final long rolloutsPlanned;
    private final Consumer<AutolabelProgress> listener;
    private final AtomicInteger recordsDone = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService scheduler;

    /**
     * @param rolloutsPlanned all rollouts the job needs, resumed ones included, or -1 when unknown
     */
    public ProgressTracker(RolloutStore store, int recordsTotal, long rolloutsPlanned, Duration interval,
            Consumer<AutolabelProgress> listener) {
        this.store = store;
        this.recordsTotal = recordsTotal;
        this.rolloutsPlanned = rolloutsPlanned;
        this.listener = listener;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autolabel-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleAtFixedRate(() -> report(false), millis, millis, TimeUnit.MILLISECONDS);
    }

    public void recordDone() {
        recordsDone.incrementAndGet();
    }

    public void recordsDone(int count) {
        recordsDone.addAndGet(count);
    }

    /** Sends the final snapshot and stops the reporting thread. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        report(true);
    }

    private void report(boolean finished) {
        try {
            listener.accept(snapshot(finished));
        } catch (RuntimeException e) {
            LOG.error("progress listener failed; the job continues", e);
        }
    }

    AutolabelProgress snapshot(boolean finished) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long thisRun = store.rolloutsThisRun();
        long done = thisRun + store.rolloutsFromLog();
        double rate = seconds > 0 ? thisRun / seconds : 0;
        int records = recordsDone.get();
        Duration eta = null;
        if (finished) {
            eta = Duration.ZERO;
        } else if (rolloutsPlanned >= 0 && rate > 0) {
            eta = Duration.ofMillis((long) (Math.max(0, rolloutsPlanned - done) / rate * 1000));
        } else if (rolloutsPlanned < 0 && records > 0 && thisRun > 0) {
            eta = Duration.ofMillis((long) ((recordsTotal - records) * seconds / records * 1000));
        }
        return new AutolabelProgress(records, recordsTotal, done, rolloutsPlanned, rate,
                store.promptTokens() + store.completionTokens(), eta, finished);
    }
}
