package dev.stepwise.dataset.grading;

import java.util.Objects;

/**
 * Result of one {@link Grader#grade} call.
 *
 * @param verdict the decision, never null
 * @param extracted the answer taken from the response, or null when none was found or grading
 *     stopped before extraction finished
 * @param referenceExtracted the answer taken from the reference, or null as for {@code extracted}
 * @param normalized the normal form of {@code extracted} that was compared, or null when not reached
 * @param referenceNormalized the normal form of {@code referenceExtracted}, or null when not reached
 */
public record GradeResult(
        Verdict verdict,
        String extracted,
        String referenceExtracted,
        String normalized,
        String referenceNormalized) {

    public GradeResult {
        Objects.requireNonNull(verdict, "verdict");
    }

    /** Returns whether the verdict is {@link Verdict#CORRECT}. */
    public boolean isCorrect() {
        return verdict == Verdict.CORRECT;
    }
}
