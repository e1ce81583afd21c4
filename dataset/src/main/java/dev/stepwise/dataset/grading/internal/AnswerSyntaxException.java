package dev.stepwise.dataset.grading.internal;

/** The answer text is not an expression this grader reads; it is then compared as text. */
final class AnswerSyntaxException extends RuntimeException {

    AnswerSyntaxException(String message) {
        super(message, null, false, false);
    }
}
