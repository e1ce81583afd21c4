package dev.stepwise.dataset.grading;

/** Outcome of grading one response against one reference answer. */
public enum Verdict {
    /** Both sides have an answer and the answers are equivalent. */
    CORRECT,
    /** Both sides have an answer and the answers are not equivalent. */
    INCORRECT,
    /** At least one side has no extractable answer, so no comparison was made. */
    UNGRADABLE,
    /**
     * Grading was stopped by the per-item deadline or by a size limit (answer length, nesting depth,
     * exact number size), so the answers are neither accepted nor rejected.
     */
    UNGRADABLE_TIMEOUT
}
