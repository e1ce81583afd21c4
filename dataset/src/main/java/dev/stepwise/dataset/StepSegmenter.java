package dev.stepwise.dataset;

import dev.stepwise.core.tokenizer.Encoding;
import dev.stepwise.core.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns a problem and its steps into input ids and the token positions where step scores are read:
 * the one segmentation function that training rows and the scoring service share.
 *
 * <p>The problem text and each step piece (see {@link PromptFormat}) are encoded on their own and
 * the ids concatenated. Hence the ids for steps {@code 0..k} are a prefix of the ids for steps
 * {@code 0..k+1}, and a step's ids never depend on the steps after it. The score position of a step
 * is the token that covers its separator, found from the character spans of the piece's own
 * encoding and never by looking up the id of the separator encoded alone. Its id is checked against
 * the id found in context at construction.
 *
 * <p>Truncation happens only at step boundaries: the longest run of whole steps that fits in
 * {@code maxTokens} is kept, so labels follow the kept steps.
 *
 * <p>Thread-safety: immutable after construction; {@link #segment} and {@link #segmentAnswer} may
 * run on many threads at once. The segmenter does not own the tokenizer and does not close it.
 */
public final class StepSegmenter {

    /** Reason code of a step that contains the separator text. */
    public static final String SEPARATOR_INSIDE_STEP = "separator_inside_step";
    /** Reason code of a step whose last characters merged with the separator into another token. */
    public static final String SEPARATOR_NOT_ONE_TOKEN = "separator_not_one_token";

    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final String separator;
    private final int maxTokens;
    private final long separatorId;

    /**
     * Result of segmenting one trace.
     *
     * @param inputIds        token ids of the problem text and the kept steps, int64
     * @param scorePositions  index into {@code inputIds} of each kept step's separator token, one per
     *                        kept step, increasing
     * @param keptSteps       number of steps that fit in the token limit; 0 means the row is unusable
     * @param totalSteps      number of steps requested
     * @param truncated       true when steps were cut
     * @param finalAnswerKept true when the last step, which carries the final answer, was kept
     */
    public record Segment(long[] inputIds, int[] scorePositions, int keptSteps, int totalSteps, boolean truncated,
                          boolean finalAnswerKept) {

        /** Number of steps cut by truncation. */
        public int droppedSteps() {
            return totalSteps - keptSteps;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Segment that && Arrays.equals(inputIds, that.inputIds)
                    && Arrays.equals(scorePositions, that.scorePositions) && keptSteps == that.keptSteps
                    && totalSteps == that.totalSteps && truncated == that.truncated
                    && finalAnswerKept == that.finalAnswerKept;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(inputIds), Arrays.hashCode(scorePositions), keptSteps, totalSteps,
                    truncated, finalAnswerKept);
        }

        @Override
        public String toString() {
            return "Segment[inputIds=" + Arrays.toString(inputIds) + ", scorePositions="
                    + Arrays.toString(scorePositions) + ", keptSteps=" + keptSteps + ", totalSteps=" + totalSteps
                    + ", truncated=" + truncated + ", finalAnswerKept=" + finalAnswerKept + "]";
        }
    }

    /**
     * Builds a segmenter and checks that {@code separator} encodes to exactly one token inside text.
     *
     * @param separator the separator token, for example {@code <extra_0>} or {@code ки}
     * @param maxTokens the largest number of input ids in one row, at least 1
     * @throws IllegalArgumentException when the separator is not one token in context; register it
     *                                  with {@link TextTokenizer#withSpecialTokens} and retry
     */
    public StepSegmenter(TextTokenizer tokenizer, PromptFormat format, String separator, int maxTokens) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.format = Objects.requireNonNull(format, "format");
        this.separator = Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("Step separator must not be empty");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1; found " + maxTokens);
        }
        this.maxTokens = maxTokens;
        this.separatorId = findSeparatorIdInContext(tokenizer, format, separator);
    }

    /** Builds a segmenter with the format's own separator. */
    public StepSegmenter(TextTokenizer tokenizer, PromptFormat format, int maxTokens) {
        this(tokenizer, format, requireDefaultSeparator(format), maxTokens);
    }

    private static String requireDefaultSeparator(PromptFormat format) {
        if (format.defaultSeparator() == null) {
            throw new IllegalArgumentException("Prompt format '" + format.name()
                    + "' has no default separator; pass one explicitly");
        }
        return format.defaultSeparator();
    }

    /**
     * Returns true when {@code separator} encodes to exactly one token inside step text laid out by
     * {@code format}, so a segmenter can be built without registering it.
     */
    public static boolean isOneTokenInContext(TextTokenizer tokenizer, PromptFormat format, String separator) {
        try {
            findSeparatorIdInContext(tokenizer, format, separator);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long findSeparatorIdInContext(TextTokenizer tokenizer, PromptFormat format, String separator) {
        String text = "x = 1" + format.separatorPrefix() + separator + format.stepJoiner() + "y = 2";
        int start = ("x = 1" + format.separatorPrefix()).length();
        Encoding encoding = tokenizer.encode(text);
        List<Integer> covering = tokensOverlapping(encoding, start, start + separator.length());
        if (covering.size() != 1 || !covers(encoding, covering.get(0), start, start + separator.length())) {
            List<String> pieces = new ArrayList<>();
            for (int index : covering) {
                pieces.add(tokenizer.decode(new long[] {encoding.ids()[index]}));
            }
            throw new IllegalArgumentException("Step separator '" + separator + "' must encode to exactly one token in "
                    + "context, but in \"" + text.replace("\n", "\\n") + "\" it is covered by " + covering.size()
                    + " tokens " + pieces + "; register it as a special token (TextTokenizer.withSpecialTokens, "
                    + "or --register-separator on the command line) or choose another separator");
        }
        return encoding.ids()[covering.get(0)];
    }

    private static List<Integer> tokensOverlapping(Encoding encoding, int start, int end) {
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < encoding.size(); i++) {
            int tokenStart = encoding.charStart()[i];
            int tokenEnd = encoding.charEnd()[i];
            if (tokenStart >= 0 && tokenStart < end && tokenEnd > start) {
                result.add(i);
            }
        }
        return result;
    }

    private static boolean covers(Encoding encoding, int token, int start, int end) {
        return encoding.charStart()[token] <= start && encoding.charEnd()[token] >= end;
    }

    /**
     * Segments a trace for step scoring.
     *
     * @throws RejectedRecordException with reason {@link #SEPARATOR_INSIDE_STEP} when a step contains
     *                                 the separator, or {@link #SEPARATOR_NOT_ONE_TOKEN} when a step's
     *                                 text merges with its separator into another token
     */
    public Segment segment(String problem, List<String> steps) {
        long[] prefix = tokenizer.encode(format.problemText(problem)).ids();
        LongList ids = new LongList(prefix.length + 32 * steps.size());
        ids.addAll(prefix);
        int[] positions = new int[steps.size()];
        int kept = 0;
        for (int k = 0; k < steps.size(); k++) {
            long[] piece = encodeStep(problem, k, steps.get(k));
            if (ids.size() + piece.length > maxTokens) {
                break;
            }
            ids.addAll(piece);
            positions[kept++] = ids.size() - 1;
        }
        return new Segment(ids.toArray(), Arrays.copyOf(positions, kept), kept, steps.size(), kept < steps.size(),
                kept == steps.size() && kept > 0);
    }

    /** Encodes the piece of step {@code index}; the separator token is its last id. */
    private long[] encodeStep(String problem, int index, String step) {
        if (step.contains(separator)) {
            throw new RejectedRecordException(shortText(problem), SEPARATOR_INSIDE_STEP, "step " + index
                    + " contains the step separator '" + separator + "', which would add a score position");
        }
        String piece = format.stepPiece(index, step, separator);
        Encoding encoding = tokenizer.encode(piece);
        int last = encoding.size() - 1;
        int separatorStart = piece.length() - separator.length();
        if (last < 0 || encoding.ids()[last] != separatorId
                || !covers(encoding, last, separatorStart, piece.length())
                || encoding.charStart()[last] < separatorStart - format.separatorPrefix().length()) {
            throw new RejectedRecordException(shortText(problem), SEPARATOR_NOT_ONE_TOKEN, "step " + index
                    + " does not end in the separator token id " + separatorId + " (\"" + step
                    + "\" merges with the separator '" + separator + "')");
        }
        return encoding.ids();
    }

    /**
     * Segments a whole answer for outcome scoring: the problem text, then the answer and the
     * format's answer suffix. The score position is the last token.
     *
     * @return a segment with one score position, or with none ({@code keptSteps == 0},
     *         {@code truncated == true}) when the answer does not fit in {@code maxTokens}
     */
    public Segment segmentAnswer(String problem, String answer) {
        long[] prefix = tokenizer.encode(format.problemText(problem)).ids();
        long[] piece = tokenizer.encode(format.answerPiece(answer)).ids();
        if (piece.length == 0 || prefix.length + piece.length > maxTokens) {
            return new Segment(prefix, new int[0], 0, 1, true, false);
        }
        long[] ids = Arrays.copyOf(prefix, prefix.length + piece.length);
        System.arraycopy(piece, 0, ids, prefix.length, piece.length);
        return new Segment(ids, new int[] {ids.length - 1}, 1, 1, false, true);
    }

    /** Id of the separator token as it occurs inside text (which may differ from its id alone). */
    public long separatorId() {
        return separatorId;
    }

    public String separator() {
        return separator;
    }

    public PromptFormat format() {
        return format;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    private static String shortText(String problem) {
        String flat = problem.replace('\n', ' ');
        return "with problem \"" + (flat.length() > 40 ? flat.substring(0, 40) + "…" : flat) + "\"";
    }

    /** Growable primitive long list, so a row is built without boxing. */
    private static final class LongList {
        private long[] values;
        private int size;

        LongList(int capacity) {
            values = new long[Math.max(capacity, 16)];
        }

        void addAll(long[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
