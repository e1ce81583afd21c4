package dev.stepwise.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a solution text with no step structure into steps.
 *
 * <p>A split point inside a protected block is skipped, so these blocks stay whole: LaTeX display
 * math ({@code $$…$$}, {@code \[…\]}, {@code \begin{env}…\end{env}}) and fenced code
 * ({@code ```…```}, or to the end of the text when the fence is not closed). Each step is stripped
 * of leading and trailing whitespace; empty steps are dropped and counted. Thread-safe.
 */
public final class StepSplitter {

    /** Rule that finds split points. */
    public enum Mode {
        /** At one or more blank lines; the blank lines are removed. */
        BLANK_LINE,
        /** At every line break. */
        NEWLINE,
        /** Before each line that starts with {@code Step N} (optionally after {@code #} or {@code **}). */
        STEP_MARKERS,
        /** At each match of a caller's regular expression; the match is removed. */
        REGEX
    }

    /**
     * Steps of one text.
     *
     * @param steps             non-empty, stripped steps in order
     * @param emptyStepsDropped pieces between split points that were empty or whitespace only
     */
    public record Split(List<String> steps, int emptyStepsDropped) {
        public Split {
            steps = List.copyOf(steps);
        }
    }

    private static final Pattern PROTECTED = Pattern.compile(
            "\\$\\$.*?\\$\\$"
                    + "|\\\\\\[.*?\\\\\\]"
                    + "|\\\\begin\\{([^}]*)\\}.*?\\\\end\\{\\1\\}"
                    + "|(?m:^[ \\t]*```).*?(?:(?m:^[ \\t]*```)|\\z)",
            Pattern.DOTALL);

    private final Mode mode;
    private final Pattern pattern;

    private StepSplitter(Mode mode, Pattern pattern) {
        this.mode = mode;
        this.pattern = pattern;
    }

    public static StepSplitter blankLine() {
        return new StepSplitter(Mode.BLANK_LINE, Pattern.compile("\\n[ \\t]*(?:\\r?\\n[ \\t]*)+"));
    }

    public static StepSplitter newline() {
        return new StepSplitter(Mode.NEWLINE, Pattern.compile("\\r?\\n"));
    }

    public static StepSplitter stepMarkers() {
        return new StepSplitter(Mode.STEP_MARKERS,
                Pattern.compile("(?m)^[ \\t]*(?:#+[ \\t]*)?(?:\\*\\*)?Step[ \\t]*\\d+", Pattern.CASE_INSENSITIVE));
    }

    /** Splits at each match of {@code regex}, which must not match the empty string. */
    public static StepSplitter regex(String regex) {
        Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        if (pattern.matcher("").matches()) {
            throw new IllegalArgumentException("Split pattern must not match the empty string; found /" + regex + "/");
        }
        return new StepSplitter(Mode.REGEX, pattern);
    }

    /** Looks up a splitter by mode name ({@code blank-line}, {@code newline}, {@code step-markers}) or {@code regex:PATTERN}. */
    public static StepSplitter named(String name) {
        if (name.startsWith("regex:")) {
            return regex(name.substring("regex:".length()));
        }
        return switch (name) {
            case "blank-line" -> blankLine();
            case "newline" -> newline();
            case "step-markers" -> stepMarkers();
            default -> throw new IllegalArgumentException("Unknown splitter '" + name
                    + "'; expected blank-line, newline, step-markers or regex:PATTERN");
        };
    }

    public Mode mode() {
        return mode;
    }

    public Split split(String text) {
        List<int[]> protectedSpans = protectedSpans(text);
        List<String> pieces = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        int pieceStart = 0;
        while (matcher.find()) {
            boolean markerAtStart = mode == Mode.STEP_MARKERS && matcher.start() == 0;
            if (markerAtStart || isProtected(matcher.start(), protectedSpans)) {
                continue;
            }
            pieces.add(text.substring(pieceStart, matcher.start()));
            pieceStart = mode == Mode.STEP_MARKERS ? matcher.start() : matcher.end();
        }
        pieces.add(text.substring(pieceStart));
        List<String> steps = new ArrayList<>();
        int empty = 0;
        for (String piece : pieces) {
            String step = piece.strip();
            if (step.isEmpty()) {
                empty++;
            } else {
                steps.add(step);
            }
        }
        return new Split(steps, empty);
    }

    private static List<int[]> protectedSpans(String text) {
        List<int[]> spans = new ArrayList<>();
        Matcher matcher = PROTECTED.matcher(text);
        while (matcher.find()) {
            spans.add(new int[] {matcher.start(), matcher.end()});
        }
        return spans;
    }

    private static boolean isProtected(int position, List<int[]> spans) {
        for (int[] span : spans) {
            if (position > span[0] && position < span[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return mode == Mode.REGEX ? "regex:" + pattern.pattern() : mode.name().toLowerCase().replace('_', '-');
    }
}
