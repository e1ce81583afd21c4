package dev.stepwise.serve.search.internal;

import dev.stepwise.dataset.grading.Grader;
import dev.stepwise.serve.search.AnswerJudge;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds final answers only where the text marks one, and compares answers with the project's
 * {@link Grader}.
 *
 * <p>Extraction is stricter than the grader's own: it accepts the last {@code \boxed{...}}, the text
 * after {@code ####}, or the sentence after "the answer is", "final answer is" or "Answer:" ending
 * the text. Search applies it to every generated step, and the grader's fallbacks (a bare number,
 * the last number) would end a solution at its first intermediate result.
 */
public final class GradingAnswerJudge implements AnswerJudge {

    private static final Pattern STATED =
            Pattern.compile("(?is).*(?:the (?:final )?answer is|answer:|####)\\s*(.+?)\\s*\\.?\\s*$");

    private final Grader grader;

    public GradingAnswerJudge(Grader grader) {
        this.grader = grader;
    }

    @Override
    public Optional<String> extract(String text) {
        String boxed = lastBoxed(text);
        if (boxed != null && !boxed.isBlank()) {
            return Optional.of(boxed.strip());
        }
        Matcher stated = STATED.matcher(text.strip());
        return stated.matches() ? Optional.of(stated.group(1)) : Optional.empty();
    }

    @Override
    public boolean equivalent(String answer, String reference) {
        return grader.grade(answer, reference).isCorrect();
    }

    /** Returns the content of the last balanced {@code \boxed{...}}, or null. */
    private static String lastBoxed(String text) {
        int start = text.lastIndexOf("\\boxed{");
        if (start < 0) {
            return null;
        }
        int depth = 0;
        int from = start + "\\boxed{".length();
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return text.substring(from, i);
                }
                depth--;
            }
        }
        return null;
    }
}
