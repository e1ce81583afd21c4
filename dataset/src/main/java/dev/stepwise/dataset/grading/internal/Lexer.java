package dev.stepwise.dataset.grading.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a normalised answer into tokens. Letters are single tokens so that {@code xy} reads as
 * {@code x*y}; {@code <=}, {@code >=} and {@code !=} are single symbols; {@code \{}, {@code \}} and
 * {@code \\} are commands named {@code {}, {@code }} and {@code \}.
 */
final class Lexer {

    private Lexer() {}

    static List<Token> tokenize(String text, Deadline deadline) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        boolean space = false;
        while (i < text.length()) {
            deadline.check();
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            int end;
            Token token;
            if (isDigit(c) || (c == '.' && i + 1 < text.length() && isDigit(text.charAt(i + 1)))) {
                end = numberEnd(text, i);
                token = new Token(Token.Kind.NUMBER, text.substring(i, end), space);
            } else if (c == '\\') {
                end = commandEnd(text, i);
                token = new Token(Token.Kind.COMMAND, text.substring(i + 1, end), space);
            } else if (isAsciiLetter(c)) {
                end = i + 1;
                token = new Token(Token.Kind.LETTER, String.valueOf(c), space);
            } else {
                end = symbolEnd(text, i);
                token = new Token(Token.Kind.SYMBOL, text.substring(i, end), space);
            }
            tokens.add(token);
            i = end;
            space = false;
        }
        return tokens;
    }

    private static int numberEnd(String text, int start) {
        int i = start;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        if (i + 1 < text.length() && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            i++;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static int commandEnd(String text, int start) {
        int i = start + 1;
        if (i >= text.length()) {
            return i;
        }
        if (!isAsciiLetter(text.charAt(i))) {
            return i + 1;
        }
        while (i < text.length() && isAsciiLetter(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int symbolEnd(String text, int start) {
        char c = text.charAt(start);
        if (start + 1 < text.length() && text.charAt(start + 1) == '=' && (c == '<' || c == '>' || c == '!')) {
            return start + 2;
        }
        return start + 1;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
