package dev.stepwise.serve.search;

import dev.stepwise.dataset.generate.GenerationScript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generation script built from complete solutions per problem, whose steps share prefixes like a
 * tree. A request with the step separator as stop string returns one next step: child
 * {@code sampleIndex % children} of the node the prompt reached, in order of first appearance
 * (child 0 at temperature 0). A request without stop strings returns solution
 * {@code sampleIndex % solutions} (solution 0 at temperature 0). Texts never depend on the seed.
 */
final class StepTreeScript implements GenerationScript {

    static final String SEPARATOR = "\n\n";

    private final Map<String, List<List<String>>> solutions = new LinkedHashMap<>();

    /** Adds a problem and its solutions, each a list of steps; solution 0 is the greedy one. */
    @SafeVarargs
    final StepTreeScript problem(String problem, List<String>... paths) {
        solutions.put(problem, List.of(paths));
        return this;
    }

    @Override
    public Result generate(Call call) {
        for (var entry : solutions.entrySet()) {
            String head = entry.getKey() + SEPARATOR;
            if (call.prompt().startsWith(head)) {
                List<List<String>> paths = entry.getValue();
                int pick = call.temperature() == 0 ? 0 : call.sampleIndex();
                if (call.stop().isEmpty()) {
                    return Result.stop(String.join(SEPARATOR, paths.get(pick % paths.size())));
                }
                List<String> prefix = split(call.prompt().substring(head.length()));
                List<String> children = children(paths, prefix);
                if (children.isEmpty()) {
                    return Result.stop("");
                }
                return Result.stop(children.get(pick % children.size()) + SEPARATOR);
            }
        }
        throw new IllegalArgumentException("the script has no problem that starts the prompt " + call.prompt());
    }

    private static List<String> children(List<List<String>> paths, List<String> prefix) {
        List<String> children = new ArrayList<>();
        for (List<String> path : paths) {
            if (path.size() > prefix.size() && path.subList(0, prefix.size()).equals(prefix)) {
                String next = path.get(prefix.size());
                if (!children.contains(next)) {
                    children.add(next);
                }
            }
        }
        return children;
    }

    private static List<String> split(String steps) {
        List<String> out = new ArrayList<>();
        for (String step : steps.split(SEPARATOR)) {
            if (!step.isEmpty()) {
                out.add(step);
            }
        }
        return out;
    }
}
