package dev.stepwise.serve.search.internal;

import java.util.ArrayList;
import java.util.List;

/** Prompt layout and step splitting shared by all strategies. */
public final class SolutionText {

    private SolutionText() {}

    /**
     * Returns the prompt that requests the step after {@code steps}: the problem, the separator, then
     * each step followed by the separator.
     */
    public static String prompt(String problem, List<String> steps, String separator) {
        StringBuilder prompt = new StringBuilder(problem).append(separator);
        for (String step : steps) {
            prompt.append(step).append(separator);
        }
        return prompt.toString();
    }

    /** Splits a complete solution into steps at {@code separator}, dropping blank pieces. */
    public static List<String> split(String solution, String separator) {
        List<String> steps = new ArrayList<>();
        int from = 0;
        while (from <= solution.length()) {
            int at = solution.indexOf(separator, from);
            int end = at < 0 ? solution.length() : at;
            String step = solution.substring(from, end);
            if (!step.isBlank()) {
                steps.add(step);
            }
            if (at < 0) {
                break;
            }
            from = at + separator.length();
        }
        return steps;
    }

    /** Derives the seed of one request from the base seed and the request's place in the search. */
    public static long seed(long base, int round, int beam) {
        return base * 1_000_003L + round * 10_007L + beam;
    }
}
