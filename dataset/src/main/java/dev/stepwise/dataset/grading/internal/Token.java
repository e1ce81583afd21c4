package dev.stepwise.dataset.grading.internal;

/**
 * One lexical token of a normalised answer.
 *
 * @param kind token class
 * @param text the number literal, the letter, the command name without its backslash, or the symbol
 * @param spaceBefore whether whitespace preceded the token (used for mixed numbers such as {@code 2 1/2})
 */
record Token(Kind kind, String text, boolean spaceBefore) {

    enum Kind { NUMBER, LETTER, COMMAND, SYMBOL }

    boolean is(Kind expectedKind, String expectedText) {
        return kind == expectedKind && text.equals(expectedText);
    }

    boolean isSymbol(String symbol) {
        return is(Kind.SYMBOL, symbol);
    }

    boolean isCommand(String name) {
        return is(Kind.COMMAND, name);
    }

    @Override
    public String toString() {
        return kind == Kind.COMMAND ? "\\" + text : text;
    }
}
