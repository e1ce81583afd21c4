package dev.stepwise.dataset.grading;

import dev.stepwise.dataset.grading.internal.Deadline;
import dev.stepwise.dataset.grading.internal.Extractor;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the final answer in a solution or answer text, the same way {@link Grader} does. First hit
 * wins: the last non-empty {@code \boxed{...}} or {@code \fbox{...}} (braces balanced, so an earlier
 * retracted box never wins), the line after the last {@code ####}, the sentence after the last
 * "answer is", "Answer:" or line-initial {@code A:}, the whole text when it reads as a bare answer,
 * and finally, when that fallback is enabled, the last math segment if no digit follows it, or the
 * last number. Stateless and thread-safe. It has no deadline, so callers that handle untrusted text
 * should use {@link Grader}.
 */
public final class AnswerExtractor {

    private final Extractor extractor;

    /** Extractor with the last-number fallback enabled. */
    public AnswerExtractor() {
        this(GraderOptions.DEFAULTS.lastNumberFallback());
    }

    /** Extractor with the last-number fallback on or off. */
    public AnswerExtractor(boolean lastNumberFallback) {
        this.extractor = new Extractor(lastNumberFallback);
    }

    /**
     * Returns the final answer of {@code text}, not normalised, or empty when the text has none.
     * A last-number answer has its thousands separators removed ({@code 1,234.50} gives {@code 1234.50}).
     */
    public Optional<String> extract(String text) {
        Objects.requireNonNull(text, "text");
        return extractor.extract(text, Deadline.NONE);
    }
}
