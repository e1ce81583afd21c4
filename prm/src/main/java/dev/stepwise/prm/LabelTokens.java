package dev.stepwise.prm;

import java.util.List;

/**
 * The two label tokens of an {@link HeadKind#LM_LABEL_TOKENS} head, named by role. A label or soft target always
 * means the probability of {@code positive}, whatever order a configuration lists the tokens in.
 *
 * @param positive the token that marks a correct step, such as {@code "+"}
 * @param negative the token that marks a wrong step, such as {@code "-"}
 */
public record LabelTokens(String positive, String negative) {

    /** Math-Shepherd and RLHFlow use {@code +} for a correct step and {@code -} for a wrong one. */
    public static final LabelTokens PLUS_MINUS = new LabelTokens("+", "-");

    public LabelTokens {
        if (positive == null || positive.isEmpty()) {
            throw new IllegalArgumentException("positive label token must be a non-empty string, found: " + quote(positive));
        }
        if (negative == null || negative.isEmpty()) {
            throw new IllegalArgumentException("negative label token must be a non-empty string, found: " + quote(negative));
        }
        if (positive.equals(negative)) {
            throw new IllegalArgumentException("positive and negative label tokens must differ, both are " + quote(positive));
        }
    }

    /**
     * Builds the label tokens from a two-token list and the role of one of them, so that list order never decides
     * polarity.
     *
     * @throws IllegalArgumentException when the list does not hold exactly two distinct tokens or lacks {@code positive}
     */
    public static LabelTokens fromList(List<String> tokens, String positive) {
        if (tokens == null || tokens.size() != 2) {
            throw new IllegalArgumentException("expected exactly two label tokens, found: " + tokens);
        }
        if (tokens.get(0).equals(tokens.get(1))) {
            throw new IllegalArgumentException("label tokens must be distinct, found: " + tokens);
        }
        int index = tokens.indexOf(positive);
        if (index < 0) {
            throw new IllegalArgumentException(
                    "positive label token " + quote(positive) + " is not one of the label tokens " + tokens);
        }
        return new LabelTokens(positive, tokens.get(1 - index));
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
