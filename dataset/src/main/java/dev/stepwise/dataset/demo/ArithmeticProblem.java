package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A word problem whose solution is a chain of equations: start from {@code start} and apply each
 * operation to the running value in order. The last running value is the reference answer.
 *
 * @param id stable identifier, unique within one generated set (for example {@code demo-17})
 * @param text the problem statement shown to the policy
 * @param family the template the problem came from
 */
public record ArithmeticProblem(
        String id, String text, ProblemFamily family, BigDecimal start, List<Operation> operations) {

    public ArithmeticProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(start, "start");
        operations = List.copyOf(operations);
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("problem " + id + " has no operations; expected at least one");
        }
    }

    /** The correct solution, one equation per operation, numbered from 1. */
    public List<StepEquation> solution() {
        List<StepEquation> steps = new ArrayList<>(operations.size());
        BigDecimal running = start;
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            BigDecimal result = operation.operator().apply(running, operation.operand());
            steps.add(new StepEquation(i + 1, operation.operator(), running, operation.operand(), result));
            running = result;
        }
        return steps;
    }

    /** The reference answer, formatted as in the answer line. */
    public String referenceAnswer() {
        List<StepEquation> solution = solution();
        return Numbers.format(solution.get(solution.size() - 1).result());
    }
}
