package dev.stepwise.dataset.autolabel;

import dev.stepwise.dataset.grading.Grader;
import dev.stepwise.dataset.grading.GraderOptions;
import dev.stepwise.dataset.grading.Verdict;

/**
 * Grades the final answer of one text against a reference answer. Called from several worker
 * threads at once, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface CompletionGrader {

    /**
     * @param response a rollout completion, or a whole solution for the direct grade of the last step
     * @param reference the reference answer of the record
     * @param problem the problem text, for graders that read the question (answer order, units)
     */
    Verdict grade(String response, String reference, String problem);

    /** Creates a grader backed by {@link Grader} with {@code options}; the problem text sets the answer-order context. */
    static CompletionGrader standard(GraderOptions options) {
        Grader grader = new Grader(options);
        return (response, reference, problem) -> grader.grade(response, reference, problem).verdict();
    }

    /** Creates a grader backed by {@link Grader} with {@link GraderOptions#DEFAULTS}. */
    static CompletionGrader standard() {
        return standard(GraderOptions.DEFAULTS);
    }
}
