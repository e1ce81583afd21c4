package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks each line of a written solution on its own: a step equation is valid when it has the right
 * number, operator and operand, starts from the running value of the line before (as written), its
 * column work (if written) keeps every carry and borrow, and its arithmetic is right; the answer
 * line is valid when it repeats the last result. A line after an error can be valid here even though
 * it builds on a wrong number: {@link DemoTrace} decides how such lines are labeled.
 */
public final class StepChecker {
    private StepChecker() {}

    /** Returns one verdict per line of {@code lines}, in order; unparseable lines are invalid. */
    public static List<Boolean> check(ArithmeticProblem problem, List<String> lines) {
        List<Boolean> verdicts = new ArrayList<>(lines.size());
        BigDecimal running = problem.start();
        List<Operation> operations = problem.operations();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == operations.size()) {
                verdicts.add(isAnswerLine(line, running));
                continue;
            }
            if (i > operations.size()) {
                verdicts.add(false);
                continue;
            }
            StepEquation step;
            try {
                step = StepEquation.parse(line);
            } catch (IllegalArgumentException e) {
                verdicts.add(false);
                continue;
            }
            Operation operation = operations.get(i);
            verdicts.add(step.index() == i + 1
                    && step.operator() == operation.operator()
                    && Numbers.same(step.right(), operation.operand())
                    && Numbers.same(step.left(), running)
                    && !step.carriesDropped()
                    && step.isArithmeticCorrect());
            running = step.result();
        }
        return verdicts;
    }

    /** Returns the number after {@link NoisyPolicy#ANSWER_PREFIX}, or null when {@code line} is no answer line. */
    public static String answerOf(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith(NoisyPolicy.ANSWER_PREFIX)) {
            return null;
        }
        return trimmed.substring(NoisyPolicy.ANSWER_PREFIX.length()).strip();
    }

    private static boolean isAnswerLine(String line, BigDecimal running) {
        String answer = answerOf(line);
        if (answer == null) {
            return false;
        }
        try {
            return Numbers.same(Numbers.parse(answer), running);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
