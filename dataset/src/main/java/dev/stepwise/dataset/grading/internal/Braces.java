package dev.stepwise.dataset.grading.internal;

/** Brace matching that skips escaped braces ({@code \{}, {@code \}}). */
final class Braces {

    private Braces() {}

    /** Index of the brace closing the one at {@code open}, or -1 when it is never closed. */
    static int matching(CharSequence text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
