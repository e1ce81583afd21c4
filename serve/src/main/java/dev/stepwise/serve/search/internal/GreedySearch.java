package dev.stepwise.serve.search.internal;

import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.SearchResult;
import dev.stepwise.serve.search.SearchStrategy;
import java.util.List;

/** One solution at temperature 0, not scored. */
public final class GreedySearch implements SearchStrategy {

    private final SearchContext context;

    public GreedySearch(SearchContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "greedy";
    }

    @Override
    public SearchResult search(Problem problem) {
        Calls calls = new Calls(context);
        String text = calls.sampleSolutions(problem.problem(), 1, 0.0, context.settings().seed()).get(0).text();
        List<String> steps = SolutionText.split(text, context.settings().stepSeparator());
        String answer = context.judge().extract(text).orElse(null);
        return new SearchResult(problem.id(), name(), steps, answer, List.of(), null, calls.meter().snapshot(),
                List.of());
    }
}
