package dev.stepwise.dataset.demo;

import dev.stepwise.dataset.generate.GenerationScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Plays the {@link NoisyPolicy} as a text generator: given a prompt made of a known problem and the
 * solution lines so far, it writes the rest of the solution, one line per step joined by the step
 * separator. A caller that wants a single step passes the separator as a stop sequence and the
 * server cuts the text there, so search strategies can extend partial solutions step by step.
 *
 * <p>Prompt layout: the problem text exactly as in {@link ArithmeticProblem#text()}, then solution
 * lines separated by {@code separator}; whitespace around lines is ignored. The continuation starts
 * with the separator when the prompt does not already end with it.
 *
 * <p>Randomness: the continuation is a function of the prompt and the seed only, so a seeded
 * request repeats itself. A request at temperature 0 uses seed 0 whatever seed it names, so greedy
 * requests all get the same text. Thread-safe: instances are immutable.
 */
public final class DemoPolicyScript implements GenerationScript {
    private final NoisyPolicy policy;
    private final String separator;
    private final Map<String, ArithmeticProblem> problemsByText = new HashMap<>();

    /**
     * @param problems the problems prompts may contain; texts must be unique
     * @param separator the text between solution lines in prompts and continuations, for example
     *     {@code "\n\n"}
     */
    public DemoPolicyScript(List<ArithmeticProblem> problems, NoisyPolicy policy, String separator) {
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        this.policy = policy;
        this.separator = separator;
        for (ArithmeticProblem problem : problems) {
            ArithmeticProblem previous = problemsByText.put(problem.text(), problem);
            if (previous != null) {
                throw new IllegalArgumentException("problems " + previous.id() + " and " + problem.id()
                        + " have the same text; the script could not tell them apart");
            }
        }
    }

    /** Writes the continuation of the call's prompt; the server cuts it at the call's stop sequences. */
    @Override
    public Result generate(Call call) {
        long seed = call.temperature() == 0 ? 0 : call.seed();
        return Result.stop(continuation(call.prompt(), seed));
    }

    /**
     * Writes the continuation of {@code prompt}: the remaining solution lines of the policy, or the
     * empty string when the prompt already ends with an answer line.
     *
     * @throws IllegalArgumentException when the prompt starts with no known problem, or a solution
     *     line in it is neither a step equation nor the answer line
     */
    public String continuation(String prompt, long seed) {
        ArithmeticProblem problem = problemOf(prompt);
        List<String> written = linesAfterProblem(prompt, problem);
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + prompt.hashCode());
        List<String> lines = new ArrayList<>(written);
        StringBuilder text = new StringBuilder();
        while (true) {
            Optional<String> next = policy.nextLine(problem, lines, random);
            if (next.isEmpty()) {
                return text.toString();
            }
            if (text.length() > 0 || !prompt.endsWith(separator)) {
                text.append(separator);
            }
            text.append(next.get());
            lines.add(next.get());
        }
    }

    /** Returns the known problem at the start of {@code prompt}. */
    public ArithmeticProblem problemOf(String prompt) {
        String stripped = prompt.stripLeading();
        int end = stripped.indexOf(separator);
        String head = end < 0 ? stripped.strip() : stripped.substring(0, end).strip();
        ArithmeticProblem problem = problemsByText.get(head);
        if (problem == null) {
            String shown = head.length() > 80 ? head.substring(0, 80) + "..." : head;
            throw new IllegalArgumentException("prompt starts with no known problem: '" + shown + "'; the script knows "
                    + problemsByText.size() + " problems and expects the problem text followed by '"
                    + separator.replace("\n", "\\n") + "'");
        }
        return problem;
    }

    private List<String> linesAfterProblem(String prompt, ArithmeticProblem problem) {
        String rest = prompt.stripLeading().substring(problem.text().length());
        List<String> lines = new ArrayList<>();
        for (String piece : rest.split(java.util.regex.Pattern.quote(separator))) {
            if (!piece.isBlank()) {
                lines.add(piece.strip());
            }
        }
        if (lines.size() > problem.operations().size() + 1) {
            throw new IllegalArgumentException("prompt for problem " + problem.id() + " has " + lines.size()
                    + " solution lines; the solution has at most " + (problem.operations().size() + 1));
        }
        return lines;
    }
}
