package dev.stepwise.dataset.autolabel;

import java.time.Duration;

/**
 * A snapshot of a running {@link AutolabelJob}.
 *
 * @param recordsDone records whose rollouts are all finished or failed, resumed ones included
 * @param recordsTotal records in the input
 * @param rolloutsDone rollouts finished, resumed ones included
 * @param rolloutsPlanned rollouts the job needs in all, or -1 when unknown in advance (first-error search)
 * @param rolloutsPerSecond rollouts finished per second by this run
 * @param tokensUsed prompt plus completion tokens reported by the server, earlier runs included
 * @param estimatedTimeLeft estimate from this run's rate, or null while there is no rate yet
 * @param finished true for the last report of a run
 */
public record AutolabelProgress(int recordsDone, int recordsTotal, long rolloutsDone, long rolloutsPlanned,
        double rolloutsPerSecond, long tokensUsed, Duration estimatedTimeLeft, boolean finished) {

    /**
     * Formats the snapshot as one progress-bar line, for example
     * {@code [#####-----] 50/100 records | 400/800 rollouts | 12.5 rollouts/s | 81,920 tokens | ETA 0:00:32}.
     */
    public String toBarLine(int barWidth) {
        double fraction = rolloutsPlanned > 0 ? (double) rolloutsDone / rolloutsPlanned
                : recordsTotal == 0 ? 1 : (double) recordsDone / recordsTotal;
        int filled = (int) Math.round(Math.min(1, fraction) * barWidth);
        String rollouts = rolloutsPlanned >= 0 ? rolloutsDone + "/" + rolloutsPlanned : Long.toString(rolloutsDone);
        String eta = estimatedTimeLeft == null ? "--:--:--" : formatDuration(estimatedTimeLeft);
        return "[" + "#".repeat(filled) + "-".repeat(barWidth - filled) + "] "
                + recordsDone + "/" + recordsTotal + " records | " + rollouts + " rollouts | "
                + String.format(java.util.Locale.ROOT, "%.1f", rolloutsPerSecond) + " rollouts/s | "
                + String.format(java.util.Locale.ROOT, "%,d", tokensUsed) + " tokens | ETA " + eta;
    }

    static String formatDuration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }
}
