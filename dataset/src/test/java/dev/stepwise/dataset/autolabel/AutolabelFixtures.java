package dev.stepwise.dataset.autolabel;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.generate.GenerationScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Input datasets and a rule-based policy whose rollouts are right or wrong by a known rule.
 *
 * <p>The rule: problems contain {@code [key R]} with the reference answer R. The last
 * {@code reach=K} and {@code lost=U} tags in the prompt (K, U default 8 and 0) decide the rollout
 * with effective seed s: with r = s mod 8, r < K answers R, K <= r < K + U gives no answer, and
 * anything else answers R + 1. Rollout seeds of one step are consecutive, so 8 rollouts from a
 * prefix contain exactly K correct, U ungradable and 8 - K - U incorrect completions, whatever the
 * step's base seed.
 */
final class AutolabelFixtures {

    private static final Pattern KEY = Pattern.compile("\\[key (\\d+)]");
    private static final Pattern REACH = Pattern.compile("reach=(\\d+)");
    private static final Pattern LOST = Pattern.compile("lost=(\\d+)");

    private AutolabelFixtures() {
    }

    static final GenerationScript POLICY = call -> {
        Matcher key = KEY.matcher(call.prompt());
        if (!key.find()) {
            return GenerationScript.Result.stop("there is no key in this prompt");
        }
        long answer = Long.parseLong(key.group(1));
        int reach = lastNumber(REACH, call.prompt(), 8);
        int lost = lastNumber(LOST, call.prompt(), 0);
        long residue = Math.floorMod(call.seed(), 8L);
        if (residue < reach) {
            return GenerationScript.Result.stop(" Continuing, the answer is \\boxed{" + answer + "}");
        }
        if (residue < reach + lost) {
            return GenerationScript.Result.stop(" I am not sure how to finish this.");
        }
        return GenerationScript.Result.stop(" Continuing, the answer is \\boxed{" + (answer + 1) + "}");
    };

    private static int lastNumber(Pattern pattern, String text, int absent) {
        Matcher matcher = pattern.matcher(text);
        int value = absent;
        while (matcher.find()) {
            value = Integer.parseInt(matcher.group(1));
        }
        return value;
    }

    /**
     * A trace for the input file.
     *
     * @param finalAnswer the row's final answer column, or null
     * @param flags the row's flags, for example {@code final_answer_dropped}
     */
    record Trace(String id, String problem, List<String> steps, String reference, String finalAnswer,
            List<String> flags) {

        Trace(String id, String problem, List<String> steps, String reference) {
            this(id, problem, steps, reference, null, List.of());
        }
    }

    /** Four traces with hand-computed labels; see the tests for the expected values. */
    static List<Trace> smallTraces() {
        return List.of(
                new Trace("right", "[key 42] What is 6 times 7?", List.of(
                        "6 times 7 means adding 7 six times. reach=8",
                        "Three sevens make 21. reach=5 lost=2",
                        "Twice 21 is 42, so the answer is \\boxed{42}."), "42"),
                new Trace("wrong", "[key 10] What is 4 plus 6?", List.of(
                        "Start at 4. reach=8",
                        "Counting up five gives 9. reach=0",
                        "So the answer is \\boxed{9}."), "10"),
                new Trace("no-reference", "[key 3] What is 1 plus 2?", List.of("1 plus 2 is 3, \\boxed{3}."), null),
                new Trace("late-error", "[key 24] What is 4 factorial?", List.of(
                        "4! = 4 * 3 * 2 * 1. reach=8",
                        "4 * 3 = 12. reach=6",
                        "12 * 2 = 24. reach=3",
                        "24 * 1 = 25. reach=0",
                        "So 4! is \\boxed{25}."), "24"));
    }

    /** {@code count} traces of four steps: reach=8, reach=(i mod 9), lost=1, and a final answer right for even i. */
    static List<Trace> manyTraces(int count) {
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int answer = 100 + i;
            int finalAnswer = i % 2 == 0 ? answer : answer + 3;
            traces.add(new Trace("trace-" + i, "[key " + answer + "] Problem number " + i + ".", List.of(
                    "First step of " + i + ". reach=8",
                    "Second step. reach=" + (i % 9),
                    "Third step. reach=" + (i % 5) + " lost=1",
                    "The answer is \\boxed{" + finalAnswer + "}."), Integer.toString(answer)));
        }
        return traces;
    }

    /** Writes traces as a step dataset with one token per step and ignore labels. */
    static Path writeInput(Path file, List<Trace> traces) throws IOException {
        StepDatasetMetadata metadata = new StepDatasetMetadata("fixture", "0".repeat(64), "\n\n", 7L, "plain",
                LabelPolicy.sourceConvention(), Map.of());
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata, false, 3)) {
            for (Trace trace : traces) {
                int stepCount = trace.steps().size();
                long[] inputIds = new long[stepCount];
                int[] positions = new int[stepCount];
                float[] labels = new float[stepCount];
                for (int i = 0; i < stepCount; i++) {
                    inputIds[i] = 7;
                    positions[i] = i;
                }
                Arrays.fill(labels, StepLabels.IGNORE);
                writer.write(new StepRow(trace.id(), "fixture", trace.problem(), trace.steps(), inputIds, positions,
                        labels, null, trace.finalAnswer(), trace.reference(), trace.flags(), null, null));
            }
            writer.commit();
        }
        return file;
    }
}
