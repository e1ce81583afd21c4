package dev.stepwise.serve.search;

import java.util.List;
import java.util.Objects;

/**
 * The solution a strategy chose for one problem.
 *
 * @param problemId the problem's id
 * @param strategy the strategy's name, for example {@code beam(width=4,expansions=4)}
 * @param steps the chosen solution's steps
 * @param finalAnswer the answer extracted from the solution, or null when it states none
 * @param stepScores PRM stepScores of the chosen steps, or empty when the strategy did not score them
 * @param outcomeScore ORM outcomeScore of the chosen solution, or null when not scored
 * @param cost compute spent on this problem, including candidates that were not chosen
 * @param rungs for {@code adaptive}, one entry per rung run in order; empty for the fixed strategies
 */
public record SearchResult(
        String problemId,
        String strategy,
        List<String> steps,
        String finalAnswer,
        List<Double> stepScores,
        Double outcomeScore,
        ComputeCost cost,
        List<RungTrace> rungs) {

    public SearchResult {
        Objects.requireNonNull(problemId, "problemId");
        Objects.requireNonNull(strategy, "strategy");
        steps = List.copyOf(steps);
        stepScores = List.copyOf(stepScores);
        Objects.requireNonNull(cost, "cost");
        rungs = List.copyOf(rungs);
    }

    /** Returns whether the chosen solution states a final answer. */
    public boolean hasFinalAnswer() {
        return finalAnswer != null;
    }

    /** Returns the lowest stepScore, or null when the steps were not scored. */
    public Double minStepScore() {
        return stepScores.isEmpty() ? null : StepAggregate.MIN.apply(stepScores);
    }

    /** Returns a copy with other scores and cost, used when scores are added after the search. */
    public SearchResult withScores(List<Double> newStepScores, Double newOutcomeScore, ComputeCost newCost) {
        return new SearchResult(problemId, strategy, steps, finalAnswer, newStepScores, newOutcomeScore, newCost, rungs);
    }
}
