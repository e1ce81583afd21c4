package dev.stepwise.serve.search;

import java.util.Optional;

/** Finds final answers in solution text and decides whether two answers are the same. */
public interface AnswerJudge {

    /** Returns the final answer stated in {@code text}, or empty when it states none. */
    Optional<String> extract(String text);

    /** Returns whether {@code answer} is graded equal to {@code reference}. */
    boolean equivalent(String answer, String reference);
}
