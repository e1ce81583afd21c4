package dev.stepwise.serve.search;

/**
 * What one rung of {@code adaptive} produced and why it was accepted or not. Rung 0 is the greedy
 * answer.
 *
 * @param rung the rung's strategy name
 * @param finalAnswer the rung's final answer, or null
 * @param minStepScore the lowest PRM stepScore of the rung's solution, or null when it has no steps
 * @param outcomeScore the ORM outcomeScore, or null when the thresholds use no ORM
 * @param accepted whether the scores cleared the thresholds
 * @param cost compute of this rung, the scoring for the thresholds included
 */
public record RungTrace(
        String rung, String finalAnswer, Double minStepScore, Double outcomeScore, boolean accepted, ComputeCost cost) {}
