package dev.stepwise.dataset.autolabel.internal;

import dev.stepwise.dataset.grading.Verdict;

/**
 * One-letter codes of rollout outcomes in the rollout log: {@code C} correct, {@code I} incorrect,
 * {@code U} ungradable, {@code T} grading stopped by its deadline or a size limit, {@code L} cut at
 * the token limit and not graded.
 */
public final class Verdicts {

    public static final char CORRECT = 'C';
    public static final char INCORRECT = 'I';
    public static final char UNGRADABLE = 'U';
    public static final char UNGRADABLE_TIMEOUT = 'T';
    public static final char TRUNCATED = 'L';

    private Verdicts() {
    }

    public static char letter(Verdict verdict) {
        return switch (verdict) {
            case CORRECT -> CORRECT;
            case INCORRECT -> INCORRECT;
            case UNGRADABLE -> UNGRADABLE;
            case UNGRADABLE_TIMEOUT -> UNGRADABLE_TIMEOUT;
        };
    }

    public static boolean isValid(char letter) {
        return letter == CORRECT || letter == INCORRECT || letter == UNGRADABLE || letter == UNGRADABLE_TIMEOUT
                || letter == TRUNCATED;
    }

    /** Human-readable name used in summaries. */
    public static String name(char letter) {
        return switch (letter) {
            case CORRECT -> "correct";
            case INCORRECT -> "incorrect";
            case UNGRADABLE -> "ungradable";
            case UNGRADABLE_TIMEOUT -> "ungradable_timeout";
            case TRUNCATED -> "truncated";
            default -> throw new IllegalArgumentException("unknown verdict letter '" + letter + "'");
        };
    }
}
