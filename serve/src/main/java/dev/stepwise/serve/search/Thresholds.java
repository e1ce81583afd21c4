package dev.stepwise.serve.search;

/**
 * When {@code adaptive} accepts an answer: it states a final answer, its lowest PRM stepScore is at
 * least {@code minStepScore}, and, when {@code outcomeScore} is set, its ORM outcomeScore is at least
 * that.
 *
 * @param minStepScore threshold for the lowest stepScore, in [0, 1]
 * @param outcomeScore threshold for the ORM outcomeScore in [0, 1], or null to use no ORM
 */
public record Thresholds(double minStepScore, Double outcomeScore) {

    public Thresholds {
        if (!(minStepScore >= 0 && minStepScore <= 1)) {
            throw new IllegalArgumentException("minStepScore threshold must be in [0, 1], found " + minStepScore);
        }
        if (outcomeScore != null && !(outcomeScore >= 0 && outcomeScore <= 1)) {
            throw new IllegalArgumentException("outcomeScore threshold must be in [0, 1] or null, found " + outcomeScore);
        }
    }

    /** Returns whether a solution with these scores is accepted; null scores never clear a threshold. */
    public boolean accepts(boolean hasFinalAnswer, Double minStepScore, Double outcomeScore) {
        if (!hasFinalAnswer || minStepScore == null || minStepScore < this.minStepScore) {
            return false;
        }
        return this.outcomeScore == null || (outcomeScore != null && outcomeScore >= this.outcomeScore);
    }
}
