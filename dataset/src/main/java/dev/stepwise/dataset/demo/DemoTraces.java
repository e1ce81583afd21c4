package dev.stepwise.dataset.demo;

import dev.stepwise.dataset.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates labeled demo traces: problems from {@link ProblemFamily}, solutions sampled from a
 * {@link NoisyPolicy}, labels from {@link StepChecker}.
 *
 * <p>Labels: every line up to the first invalid one is 1, the first invalid line is 0, and every
 * line after it is 0 as well, even a line that is valid on its own, because the trace can no longer
 * reach the reference answer. That matches the Math-Shepherd convention; a label policy of the
 * dataset stage can drop or ignore the steps after the first error instead. The outcome label is 1
 * exactly when the final answer equals the reference answer; two slips can cancel, so a trace with a
 * wrong step can still have outcome 1.
 *
 * <p>Everything is a function of the {@link DemoConfig}: the same config gives the same records.
 */
public final class DemoTraces {
    /** The {@link TraceRecord#source()} of every demo record. */
    public static final String SOURCE = "demo/arithmetic";

    private DemoTraces() {}

    /** Draws {@code config.problemCount()} problems, cycling through the families in order. */
    public static List<ArithmeticProblem> problems(DemoConfig config) {
        Random random = new Random(config.seed());
        ProblemFamily[] families = ProblemFamily.values();
        List<ArithmeticProblem> problems = new ArrayList<>(config.problemCount());
        for (int i = 0; i < config.problemCount(); i++) {
            String id = config.idPrefix() + i;
            problems.add(families[i % families.length].sample(id, random));
        }
        return problems;
    }

    /**
     * Samples {@code config.samplesPerProblem()} solutions for every problem of {@link #problems} and
     * labels them. Record ids are {@code <problem id>-s<sample>}, records of one problem are adjacent.
     */
    public static List<TraceRecord> generate(DemoConfig config) {
        return sample(problems(config), config.samplesPerProblem(), config.policy(), config.seed());
    }

    /** Samples {@code samplesPerProblem} labelled solutions of each of {@code problems}, as {@link #generate} does. */
    public static List<TraceRecord> sample(List<ArithmeticProblem> problems, int samplesPerProblem, NoisyPolicy policy,
            long seed) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        List<TraceRecord> records = new ArrayList<>(problems.size() * samplesPerProblem);
        for (ArithmeticProblem problem : problems) {
            for (int sample = 0; sample < samplesPerProblem; sample++) {
                List<String> lines = policy.solve(problem, random);
                records.add(label(problem, problem.id() + "-s" + sample, lines));
            }
        }
        return records;
    }

    /** Labels a written solution of {@code problem} as described in the class documentation. */
    public static TraceRecord label(ArithmeticProblem problem, String id, List<String> lines) {
        List<Boolean> valid = StepChecker.check(problem, lines);
        float[] labels = new float[lines.size()];
        boolean errorSeen = false;
        for (int i = 0; i < labels.length; i++) {
            errorSeen |= !valid.get(i);
            labels[i] = errorSeen ? 0f : 1f;
        }
        String finalAnswer = lines.isEmpty() ? null : StepChecker.answerOf(lines.get(lines.size() - 1));
        String reference = problem.referenceAnswer();
        float outcome = finalAnswer != null && sameNumber(finalAnswer, reference) ? 1f : 0f;
        return new TraceRecord(id, SOURCE, problem.text(), lines, labels, finalAnswer, reference, outcome, Set.of());
    }

    private static boolean sameNumber(String answer, String reference) {
        try {
            return Numbers.same(Numbers.parse(answer), Numbers.parse(reference));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
