package dev.stepwise.dataset.grading.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer in a solution or answer text. Strategies, first hit wins:
 * <ol>
 *   <li>the last non-empty {@code \boxed{...}} or {@code \fbox{...}}, braces balanced;</li>
 *   <li>the rest of the line after the last {@code ####} (GSM8K references);</li>
 *   <li>the text after the last answer marker: "answer is", "Answer:", "Final answer:", or
 *       {@code A:} at the start of a line, up to the end of that sentence;</li>
 *   <li>the whole text, when it is a bare answer (see {@link #isBareAnswer});</li>
 *   <li>when the fallback is enabled: the right-hand side of the last math segment if no digit
 *       follows it, else the last number.</li>
 * </ol>
 */
public final class Extractor {

    private static final Pattern MARKER = Pattern.compile(
            "(?im)(?:\\banswer\\s*(?:is\\s*:?|:)|^[ \\t]*a[ \\t]*:)[ \\t]*");
    private static final Pattern NUMBER = Pattern.compile(
            "(?:(?<![\\w)\\]}.])-)?(?<![\\d.])(?:[1-9]\\d{0,2}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.\\d+)?");
    private static final Pattern MATH_SEGMENT = Pattern.compile(
            "(?<!\\\\)\\$([^$]{1,500})(?<!\\\\)\\$|\\\\\\((.{1,500}?)\\\\\\)|\\\\\\[(.{1,500}?)\\\\\\]", Pattern.DOTALL);
    private static final Pattern LEADING_NUMBER = Pattern.compile("^" + NUMBER.pattern());
    private static final Pattern COMMAND = Pattern.compile("\\\\[A-Za-z]+");
    private static final Pattern ENVIRONMENT = Pattern.compile("\\\\(?:begin|end)\\{[A-Za-z*]*\\}");
    // A unit exponent (cm^2) is not the last digit of the value.
    private static final Pattern EXPONENT = Pattern.compile("\\^\\{?\\d+\\}?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]{2,}");
    private static final Pattern SENTENCE_BREAK = Pattern.compile("[.?!]\\s+[A-Z]");
    private static final Set<String> NON_WORDS = Set.of(
            "percent", "cm", "mm", "km", "kg", "mg", "ml", "ft", "in", "yd", "mi", "lb", "lbs", "oz",
            "hr", "hrs", "min", "sec", "mph", "pi", "sqrt", "frac");

    // Words that make a digit-free text a sentence ("I cannot tell", "not sure") rather than an answer.
    private static final Set<String> SENTENCE_WORDS = Set.of(
            "am", "are", "be", "can", "cannot", "could", "do", "does", "don", "is", "know", "not", "sure",
            "the", "this", "that", "was", "we", "you");
    private static final Pattern SENTENCE_END = Pattern.compile("[A-Za-z][.?!]\\s*$");
    private static final Pattern FIRST_PERSON = Pattern.compile("(?<![\\\\\\w])I\\s+[a-z]");

    private final boolean lastNumberFallback;

    public Extractor(boolean lastNumberFallback) {
        this.lastNumberFallback = lastNumberFallback;
    }

    /** Returns the final answer of {@code text}, or empty when it has none. */
    public Optional<String> extract(String text, Deadline deadline) {
        CharSequence checked = new CheckedCharSequence(text, deadline);
        String answer = lastBox(text, checked);
        if (answer == null) {
            answer = afterHashes(text);
        }
        if (answer == null) {
            answer = afterMarker(text, checked, deadline);
        }
        if (answer == null && isBareAnswer(text.strip())) {
            answer = text.strip();
        }
        if (answer == null && lastNumberFallback) {
            answer = lastMathSegment(text, checked);
        }
        if (answer == null && lastNumberFallback) {
            answer = lastNumber(checked);
        }
        return answer == null || answer.isBlank() ? Optional.empty() : Optional.of(answer.strip());
    }

    private static String lastBox(String text, CharSequence checked) {
        int from = text.length();
        while (from >= 0) {
            int boxed = text.lastIndexOf("\\boxed", from);
            int fbox = text.lastIndexOf("\\fbox", from);
            int start = Math.max(boxed, fbox);
            if (start < 0) {
                return null;
            }
            int afterName = start + (start == boxed ? "\\boxed".length() : "\\fbox".length());
            int i = afterName;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            String content = null;
            if (i < text.length() && text.charAt(i) == '{') {
                int close = Braces.matching(checked, i);
                content = close < 0 ? null : text.substring(i + 1, close);
            } else if (i < text.length() && (i > afterName || text.charAt(i) == '\\')) {
                // \boxed 5 or \boxed\pi: TeX takes one token as the argument.
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
                    end++;
                }
                content = text.substring(i, end);
            }
            if (content != null && !content.isBlank()) {
                return content;
            }
            from = start - 1;
        }
        return null;
    }

    private static String afterHashes(String text) {
        int hashes = text.lastIndexOf("####");
        if (hashes < 0) {
            return null;
        }
        String rest = firstLine(text.substring(hashes + 4));
        return rest.isBlank() ? null : rest.strip();
    }

    private String afterMarker(String text, CharSequence checked, Deadline deadline) {
        Matcher matcher = MARKER.matcher(checked);
        int end = -1;
        while (matcher.find()) {
            end = matcher.end();
        }
        if (end < 0) {
            return null;
        }
        String rest = text.substring(end);
        String line = firstLine(rest);
        if (line.isBlank()) {
            // "Answer:" alone on its line: the answer is the next non-blank line.
            line = firstLine(rest.stripLeading());
        }
        String candidate = trimPunctuation(cutAtSentenceEnd(line, deadline));
        return candidate.isEmpty() ? null : reduce(candidate);
    }

    /** Shrinks a marker's sentence to its answer: the whole sentence if bare, else its leading math or number. */
    private String reduce(String candidate) {
        if (isBareAnswer(candidate)) {
            return candidate;
        }
        if (candidate.startsWith("$")) {
            int close = candidate.indexOf('$', 1);
            if (close > 1) {
                return candidate.substring(0, close + 1);
            }
        }
        Matcher leading = LEADING_NUMBER.matcher(candidate);
        if (leading.find()) {
            return leading.group().replace(",", "");
        }
        String last = lastNumber(candidate);
        return last != null ? last : candidate;
    }

    /** Cuts at the first sentence-ending period outside math mode and braces; a decimal point is not one. */
    private static String cutAtSentenceEnd(String line, Deadline deadline) {
        boolean math = false;
        int braces = 0;
        for (int i = 0; i < line.length(); i++) {
            if ((i & 1023) == 0) {
                deadline.check();
            }
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '$') {
                math = !math;
            } else if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            } else if (c == '.' && !math && braces <= 0
                    && (i + 1 == line.length() || Character.isWhitespace(line.charAt(i + 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String trimPunctuation(String text) {
        String trimmed = text.strip();
        while (!trimmed.isEmpty() && ",;:".indexOf(trimmed.charAt(trimmed.length() - 1)) >= 0) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }

    /**
     * Returns whether the whole text reads as an answer rather than a sentence. It must be one line
     * without a sentence break. With digits, English words may only follow the last digit, at most
     * three of them ({@code 5 apples}, {@code 28 percent}, {@code 60 miles per hour}). Without digits
     * it may have at most three words, no sentence-ending period, and none of the words such as "is",
     * "not" or "I" that only sentences have ({@code ten}, {@code New York}, {@code \frac{\pi}{2}}).
     * LaTeX command and environment names and common unit abbreviations are not words, and digits in
     * exponents do not count as digits of the value.
     */
    static boolean isBareAnswer(String text) {
        if (text.isEmpty() || text.indexOf('\n') >= 0 || SENTENCE_BREAK.matcher(text).find()) {
            return false;
        }
        String stripped = ENVIRONMENT.matcher(text).replaceAll(" ");
        stripped = EXPONENT.matcher(COMMAND.matcher(stripped).replaceAll(" ")).replaceAll(" ");
        int lastDigit = -1;
        for (int i = 0; i < stripped.length(); i++) {
            if (Character.isDigit(stripped.charAt(i))) {
                lastDigit = i;
            }
        }
        Matcher words = WORD.matcher(stripped);
        int count = 0;
        while (words.find()) {
            String word = words.group().toLowerCase(Locale.ROOT);
            if (NON_WORDS.contains(word)) {
                continue;
            }
            if (words.start() < lastDigit || (lastDigit < 0 && SENTENCE_WORDS.contains(word))) {
                return false;
            }
            count++;
        }
        boolean sentenceEnd = lastDigit < 0 && SENTENCE_END.matcher(text).find();
        return count <= 3 && !sentenceEnd && !FIRST_PERSON.matcher(text).find();
    }

    /**
     * Returns the right-hand side of the last math segment ({@code $...$}, {@code \(...\)},
     * {@code \[...\]}) when no digit follows it, so "Therefore, $\cos A = -\frac{24}{25}$." gives
     * {@code -\frac{24}{25}}. Returns null when there is no such segment.
     */
    private static String lastMathSegment(String text, CharSequence checked) {
        Matcher matcher = MATH_SEGMENT.matcher(checked);
        String last = null;
        int end = -1;
        while (matcher.find()) {
            // Groups 1 to 3 are the insides of $...$, \(...\) and \[...\]; exactly one matched.
            for (int group = 1; group <= 3; group++) {
                if (matcher.group(group) != null) {
                    last = matcher.group(group);
                }
            }
            end = matcher.end();
        }
        if (last == null || text.substring(end).chars().anyMatch(Character::isDigit)) {
            return null;
        }
        String value = afterLastTopLevelEquals(last).strip();
        return value.isEmpty() ? null : value;
    }

    private static String afterLastTopLevelEquals(String math) {
        int braces = 0;
        int cut = 0;
        for (int i = 0; i < math.length(); i++) {
            char c = math.charAt(i);
            if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            } else if (c == '=' && braces == 0) {
                cut = i + 1;
            }
        }
        return math.substring(cut);
    }

    /** Returns the last number with its thousands separators removed; a lone comma is never a number. */
    static String lastNumber(CharSequence text) {
        Matcher matcher = NUMBER.matcher(text);
        String last = null;
        while (matcher.find()) {
            last = matcher.group();
        }
        return last == null ? null : last.replace(",", "");
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
