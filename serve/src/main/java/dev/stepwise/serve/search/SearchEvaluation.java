package dev.stepwise.serve.search;

import dev.stepwise.serve.search.internal.AccuracyPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accuracy versus compute: runs strategies on the same problems, grades each final answer against
 * the reference, and reports one {@link EvaluationRow} per strategy as a table and a PNG plot.
 */
public final class SearchEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(SearchEvaluation.class);

    private SearchEvaluation() {}

    /** Rows and per-problem results of one evaluation. */
    public record Report(List<EvaluationRow> rows, Map<String, List<SearchResult>> results) {}

    /**
     * Runs each strategy on every problem, in the order given, and grades the results.
     *
     * @throws IllegalArgumentException when a problem has no reference answer
     */
    public static Report evaluate(List<SearchStrategy> strategies, List<Problem> problems, AnswerJudge judge) {
        requireReferences(problems);
        List<EvaluationRow> rows = new ArrayList<>();
        Map<String, List<SearchResult>> results = new LinkedHashMap<>();
        for (SearchStrategy strategy : strategies) {
            List<SearchResult> runs = new ArrayList<>();
            for (Problem problem : problems) {
                runs.add(strategy.search(problem));
            }
            EvaluationRow row = grade(strategy.name(), problems, runs, judge);
            LOG.info("{}: accuracy {} at {} compute tokens per problem", row.strategy(), row.accuracy(),
                    row.averageComputeTokens());
            rows.add(row);
            results.put(strategy.name(), runs);
        }
        return new Report(rows, results);
    }

    /**
     * Builds each spec against {@code context}, evaluates them on {@code problems}, writes the
     * accuracy-versus-compute plot to {@code png} (unless null) and returns the rows in spec order.
     * This is the one call a report needs.
     */
    public static List<EvaluationRow> accuracyVersusCompute(
            SearchContext context, List<StrategySpec> specs, List<Problem> problems, Path png) throws IOException {
        List<SearchStrategy> strategies = specs.stream().map(spec -> SearchStrategies.create(spec, context)).toList();
        List<EvaluationRow> rows = evaluate(strategies, problems, context.judge()).rows();
        if (png != null) {
            writePlot(rows, png);
        }
        return rows;
    }

    /** Grades results that were already computed, one per problem in the same order. */
    public static EvaluationRow grade(String strategy, List<Problem> problems, List<SearchResult> results,
            AnswerJudge judge) {
        if (results.size() != problems.size()) {
            throw new IllegalArgumentException("expected one result per problem (" + problems.size() + "), found "
                    + results.size() + " for " + strategy);
        }
        requireReferences(problems);
        int correct = 0;
        ComputeCost total = ComputeCost.ZERO;
        for (int i = 0; i < problems.size(); i++) {
            SearchResult result = results.get(i);
            if (result.hasFinalAnswer() && judge.equivalent(result.finalAnswer(), problems.get(i).referenceAnswer())) {
                correct++;
            }
            total = total.plus(result.cost());
        }
        double n = problems.size();
        return new EvaluationRow(strategy, problems.size(), correct, correct / n, total.computeTokens() / n,
                total.completionTokens() / n, total.scoredTokens() / n, total.scoringCalls() / n);
    }

    /**
     * Writes a scatter plot of accuracy against average compute tokens, one labelled point per row.
     *
     * @throws IllegalArgumentException when two rows have the same strategy name, because each name labels one point
     */
    public static void writePlot(List<EvaluationRow> rows, Path png) throws IOException {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (EvaluationRow row : rows) {
            if (!names.add(row.strategy())) {
                throw new IllegalArgumentException("cannot plot two rows named '" + row.strategy()
                        + "'; each strategy labels one point, so give each row a different configuration");
            }
        }
        AccuracyPlot.write(rows, png);
    }

    /** Formats the rows as a Markdown table. */
    public static String table(List<EvaluationRow> rows) {
        StringBuilder table = new StringBuilder(
                "| strategy | problems | correct | accuracy | compute tokens / problem | generated tokens / problem"
                        + " | scored tokens / problem | scoring calls / problem |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EvaluationRow row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.1f | %.1f | %.1f | %.2f |%n",
                    row.strategy(), row.problems(), row.correct(), row.accuracy(), row.averageComputeTokens(),
                    row.averageCompletionTokens(), row.averageScoredTokens(), row.averageScoringCalls()));
        }
        return table.toString();
    }

    private static void requireReferences(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one problem, found none");
        }
        for (Problem problem : problems) {
            if (problem.referenceAnswer() == null) {
                throw new IllegalArgumentException("problem '" + problem.id()
                        + "' has no reference answer; evaluation grades final answers against it");
            }
        }
    }
}
