package dev.stepwise.dataset.autolabel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Result counts of one {@link AutolabelJob} run.
 *
 * @param output the written step dataset
 * @param recordsTotal records in the input
 * @param recordsWritten records written with at least one label
 * @param recordsSkipped records left out, by reason ({@code no_reference_answer}, {@code no_steps},
 *     {@code final_answer_ungradable}, {@code generation_failed…}, {@code no_gradable_step})
 * @param stepsFailed steps of written records left unlabeled because generation failed
 * @param labelsByValue written step labels by value ({@code "0.375"}, {@code "1"}, {@code "ignore"})
 * @param rolloutsByVerdict rollouts by outcome (correct, incorrect, ungradable, ungradable_timeout,
 *     truncated), earlier runs included
 * @param rolloutsThisRun rollouts sampled by this run
 * @param rolloutsResumed rollouts taken from the log of earlier runs
 * @param failuresByReason requests of this run that failed after all retries, by reason
 * @param promptTokens prompt tokens of all logged requests, earlier runs included
 * @param completionTokens completion tokens of all logged requests, earlier runs included
 * @param elapsed wall time of this run
 */
public record AutolabelSummary(Path output, int recordsTotal, int recordsWritten, Map<String, Integer> recordsSkipped,
        long stepsFailed, Map<String, Long> labelsByValue, Map<String, Long> rolloutsByVerdict, long rolloutsThisRun,
        long rolloutsResumed, Map<String, Long> failuresByReason, long promptTokens, long completionTokens,
        Duration elapsed) {

    public AutolabelSummary {
        recordsSkipped = Map.copyOf(recordsSkipped);
        labelsByValue = Map.copyOf(labelsByValue);
        rolloutsByVerdict = Map.copyOf(rolloutsByVerdict);
        failuresByReason = Map.copyOf(failuresByReason);
    }

    /** Formats the summary as a multi-line report for people, keys sorted. */
    public String toText() {
        return "auto-labeling summary\n"
                + "  output:             " + output + "\n"
                + "  records:            " + recordsWritten + " written of " + recordsTotal + "\n"
                + "  records skipped:    " + sorted(recordsSkipped) + "\n"
                + "  labels by value:    " + sorted(labelsByValue) + "\n"
                + "  steps failed:       " + stepsFailed + "\n"
                + "  rollouts:           " + rolloutsThisRun + " this run, " + rolloutsResumed + " resumed from the log\n"
                + "  rollouts by verdict: " + sorted(rolloutsByVerdict) + "\n"
                + "  failed requests:    " + sorted(failuresByReason) + "\n"
                + "  tokens:             " + (promptTokens + completionTokens) + " (" + promptTokens + " prompt, "
                + completionTokens + " completion)\n"
                + "  elapsed:            " + AutolabelProgress.formatDuration(elapsed);
    }

    private static String sorted(Map<String, ? extends Number> map) {
        if (map.isEmpty()) {
            return "none";
        }
        return new java.util.TreeMap<>(map).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
