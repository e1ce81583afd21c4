package dev.stepwise.prm;

import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.prm.train.StepExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated traces of single-digit additions: each step is {@code a+b=c} with a, b in 0..4, correct with
 * probability 1 − errorRate, otherwise off by 2 to 4 and never negative. A wrong step has label
 * 0, a correct one label 1.
 */
public final class ArithmeticTraces {

    /** One generated trace. */
    public record Trace(String problem, List<String> steps, float[] labels) {}

    static final int MAX_OPERAND = 4;

    private ArithmeticTraces() {}

    public static List<Trace> generate(int count, int stepsPerTrace, double errorRate, long seed) {
        Random random = new Random(seed);
        List<Trace> traces = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            List<String> steps = new ArrayList<>();
            float[] labels = new float[stepsPerTrace];
            for (int s = 0; s < stepsPerTrace; s++) {
                int a = random.nextInt(MAX_OPERAND + 1);
                int b = random.nextInt(MAX_OPERAND + 1);
                int sum = a + b;
                boolean wrong = random.nextDouble() < errorRate;
                if (wrong) {
                    int offset = 2 + random.nextInt(3);
                    boolean down = sum - offset >= 0 && random.nextBoolean();
                    sum = down ? sum - offset : sum + offset;
                }
                steps.add(a + "+" + b + "=" + sum);
                labels[s] = wrong ? 0f : 1f;
            }
            traces.add(new Trace("Add.", steps, labels));
        }
        return traces;
    }

    public static List<StepExample> examples(List<Trace> traces, StepSegmenter segmenter) {
        List<StepExample> examples = new ArrayList<>(traces.size());
        for (Trace trace : traces) {
            StepSegmenter.Segment segment = segmenter.segment(trace.problem(), trace.steps());
            examples.add(new StepExample(segment.inputIds(), segment.scorePositions(), trace.labels()));
        }
        return examples;
    }
}
