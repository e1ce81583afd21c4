package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A stand-in for a sampled language model: it writes the correct next step, except that with the
 * given probabilities it makes one {@link Slip}. Slips are tried in the order CARRY,
 * DECIMAL_DIGITWISE, SIGN, COPY, and the first that fires and applies is taken. At most one slip
 * happens per step.
 *
 * <p>Real models find some problems harder than others. To mimic that, every rate is multiplied by a
 * per-problem difficulty in [0, 2) derived from the problem text (mean 1), so on some problems most
 * samples share the same wrong answer and majority voting fails, while on others the policy rarely
 * errs. Rates after scaling are capped at 0.95.
 *
 * @param carryRate probability of a {@link Slip#CARRY} in a step that has a carry or borrow, in [0, 1]
 * @param decimalRate probability of a {@link Slip#DECIMAL_DIGITWISE} in a decimal comparison, in [0, 1]
 * @param signRate probability of a {@link Slip#SIGN} in a step with a negative number, in [0, 1]
 * @param copyRate probability of a {@link Slip#COPY} in any step or answer line, in [0, 1]
 */
public record NoisyPolicy(double carryRate, double decimalRate, double signRate, double copyRate) {
    /** The policy of {@code stepwise quickstart}: roughly half of all sampled solutions are wrong. */
    public static final NoisyPolicy DEFAULT = new NoisyPolicy(0.35, 0.55, 0.4, 0.06);

    /** The prefix of the last line of every solution, followed by the final answer. */
    public static final String ANSWER_PREFIX = "The answer is ";

    private static final double MAX_SCALED_RATE = 0.95;

    public NoisyPolicy {
        checkRate("carryRate", carryRate);
        checkRate("decimalRate", decimalRate);
        checkRate("signRate", signRate);
        checkRate("copyRate", copyRate);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], found " + rate);
        }
    }

    /** Writes a whole solution: one line per operation, then the answer line. */
    public List<String> solve(ArithmeticProblem problem, Random random) {
        List<String> lines = new ArrayList<>();
        while (true) {
            Optional<String> next = nextLine(problem, lines, random);
            if (next.isEmpty()) {
                return lines;
            }
            lines.add(next.get());
        }
    }

    /**
     * Writes the line that follows {@code written}: the next step equation, the answer line after the
     * last operation, or nothing once the answer line is written.
     *
     * @param written lines this policy wrote before, possibly with slips; the running value is read
     *     from the last of them
     * @throws IllegalArgumentException when a written line is not a step equation
     */
    public Optional<String> nextLine(ArithmeticProblem problem, List<String> written, Random random) {
        int operationCount = problem.operations().size();
        if (written.size() > operationCount) {
            return Optional.empty();
        }
        BigDecimal running = written.isEmpty()
                ? problem.start()
                : StepEquation.parse(written.get(written.size() - 1)).result();
        double scale = difficulty(problem);
        if (written.size() == operationCount) {
            BigDecimal answer = fires(random, copyRate * scale) ? Slip.miscopy(running) : running;
            return Optional.of(ANSWER_PREFIX + Numbers.format(answer));
        }
        Operation operation = problem.operations().get(written.size());
        StepEquation intended = new StepEquation(
                written.size() + 1,
                operation.operator(),
                running,
                operation.operand(),
                operation.operator().apply(running, operation.operand()));
        return Optional.of(withSlip(intended, scale, random).text());
    }

    private StepEquation withSlip(StepEquation intended, double scale, Random random) {
        double[] rates = {carryRate, decimalRate, signRate, copyRate};
        Slip[] slips = {Slip.CARRY, Slip.DECIMAL_DIGITWISE, Slip.SIGN, Slip.COPY};
        for (int i = 0; i < slips.length; i++) {
            Optional<StepEquation> slipped = slips[i].apply(intended);
            // Draw for every slip, applicable or not, so one step always consumes the same randomness.
            boolean fired = fires(random, rates[i] * scale);
            if (fired && slipped.isPresent()) {
                return slipped.get();
            }
        }
        return intended;
    }

    private static boolean fires(Random random, double rate) {
        return random.nextDouble() < Math.min(rate, MAX_SCALED_RATE);
    }

    /** The per-problem multiplier of all slip rates, in [0, 2), a function of the problem text only. */
    public static double difficulty(ArithmeticProblem problem) {
        return 2.0 * new Random(problem.text().hashCode()).nextDouble();
    }
}
