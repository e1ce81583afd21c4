package dev.stepwise.prm.train;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows progress: on a terminal, one redrawn line on standard error with a bar, the step, loss, tokens/s and ETA;
 * otherwise an info log line at most every {@code logIntervalSeconds} seconds and at the last step.
 */
public final class ProgressListener implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);
    private static final int BAR_WIDTH = 30;

    private final PrintStream terminal;
    private final long logIntervalNanos;
    private long lastLog;
    private long tokens;
    private long firstStep;

    /**
     * @param terminal stream for the redrawn bar, or null to log lines instead
     * @param logIntervalSeconds minimum time between log lines when there is no terminal, at least 0
     */
    public ProgressListener(PrintStream terminal, double logIntervalSeconds) {
        this.terminal = terminal;
        this.logIntervalNanos = (long) (logIntervalSeconds * 1e9);
    }

    /** Creates a listener that draws a bar on standard error when a console is attached and logs every 30 s otherwise. */
    public static ProgressListener forCurrentProcess() {
        return new ProgressListener(System.console() != null ? System.err : null, 30);
    }

    @Override
    public void onTrainingStart(long totalSteps, long startStep) {
        this.firstStep = startStep;
        this.tokens = 0;
        this.lastLog = System.nanoTime();
    }

    @Override
    public void onStepEnd(StepReport report, Checkpointer checkpointer) {
        tokens += report.tokens();
        double seconds = report.elapsedNanos() / 1e9;
        long done = report.step() - firstStep;
        double tokensPerSecond = seconds > 0 ? tokens / seconds : 0;
        double etaSeconds = done > 0 ? seconds / done * (report.totalSteps() - report.step()) : 0;
        boolean last = report.step() == report.totalSteps();
        if (terminal != null) {
            int filled = (int) (BAR_WIDTH * report.step() / Math.max(1, report.totalSteps()));
            terminal.printf("\r[%s%s] step %d/%d loss %.4f %.0f tok/s ETA %s%s", "=".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), report.step(), report.totalSteps(), report.loss(),
                    tokensPerSecond, formatDuration(etaSeconds), last ? System.lineSeparator() : "");
            terminal.flush();
        } else if (last || System.nanoTime() - lastLog >= logIntervalNanos) {
            lastLog = System.nanoTime();
            LOG.info("epoch {} step {}/{} loss {} lr {} {} tok/s ETA {}", report.epoch(), report.step(),
                    report.totalSteps(), String.format("%.4f", report.loss()),
                    String.format("%.2e", report.learningRate()), String.format("%.0f", tokensPerSecond),
                    formatDuration(etaSeconds));
        }
    }

    static String formatDuration(double seconds) {
        long total = Math.round(seconds);
        return String.format("%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
    }
}
