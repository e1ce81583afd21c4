package dev.stepwise.serve.search;

import dev.stepwise.serve.internal.ScoringBackend;
import dev.stepwise.serve.internal.ScoringInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scoring model whose scores are written in the text, so tests know every score in advance.
 * Tokens are whitespace-separated words. A PRM step scores the value of its marker {@code {0.97}};
 * an ORM answer scores the value of its last marker {@code [0.80]}. Text without a marker scores
 * 0.5. Every step, and the problem before an ORM answer, is followed by one separator token.
 */
final class MarkerScoringBackend implements ScoringBackend {

    private static final long SEPARATOR = 1;
    private static final long STEP_MARKERS = 1_000_000;
    private static final long ANSWER_MARKERS = 2_000_000;
    private static final long MARKER_SCALE = 10_000;
    private static final double UNMARKED = 0.5;

    private final Kind kind;
    private final Map<String, Long> vocabulary = new ConcurrentHashMap<>();

    MarkerScoringBackend(Kind kind) {
        this.kind = kind;
    }

    /** Returns the number of tokens this backend makes of {@code text}. */
    static int tokenCount(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public int maxTokens() {
        return 4096;
    }

    @Override
    public int vocabSize() {
        return (int) (ANSWER_MARKERS + MARKER_SCALE + 1);
    }

    @Override
    public double threshold() {
        return 0.5;
    }

    @Override
    public ScoringInput segmentSteps(String problem, List<String> steps) {
        List<Long> ids = new ArrayList<>();
        appendAll(ids, encode(problem));
        int[] positions = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            appendAll(ids, encode(steps.get(i)));
            positions[i] = ids.size();
            ids.add(SEPARATOR);
        }
        return new ScoringInput(ids.stream().mapToLong(Long::longValue).toArray(), positions, steps.size(), false);
    }

    @Override
    public ScoringInput segmentAnswer(String problem, String answer) {
        List<Long> ids = new ArrayList<>();
        appendAll(ids, encode(problem));
        ids.add(SEPARATOR);
        appendAll(ids, encode(answer));
        long[] array = ids.stream().mapToLong(Long::longValue).toArray();
        return new ScoringInput(array, new int[] {array.length - 1}, 1, false);
    }

    @Override
    public long[] encode(String text) {
        if (text.isBlank()) {
            return new long[0];
        }
        return Arrays.stream(text.strip().split("\\s+")).mapToLong(this::id).toArray();
    }

    @Override
    public OptionalLong stepSeparatorId() {
        return kind == Kind.PRM ? OptionalLong.of(SEPARATOR) : OptionalLong.empty();
    }

    @Override
    public float[][] score(List<ScoringInput> batch) {
        float[][] scores = new float[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            scores[i] = scoreAt(batch.get(i).inputIds(), batch.get(i).scorePositions());
        }
        return scores;
    }

    @Override
    public PrefixState newPrefixState() {
        return new State(new long[0]);
    }

    @Override
    public void close() {}

    private long id(String word) {
        if (word.matches("\\{[01]\\.\\d{1,4}}")) {
            return STEP_MARKERS + Math.round(Double.parseDouble(word.substring(1, word.length() - 1)) * MARKER_SCALE);
        }
        if (word.matches("\\[[01]\\.\\d{1,4}]")) {
            return ANSWER_MARKERS + Math.round(Double.parseDouble(word.substring(1, word.length() - 1)) * MARKER_SCALE);
        }
        return vocabulary.computeIfAbsent(word, w -> 10L + vocabulary.size());
    }

    /** Scores each position by the nearest marker of this backend's kind before it, back to the previous separator. */
    private float[] scoreAt(long[] ids, int[] positions) {
        long base = kind == Kind.PRM ? STEP_MARKERS : ANSWER_MARKERS;
        float[] scores = new float[positions.length];
        for (int p = 0; p < positions.length; p++) {
            double score = UNMARKED;
            for (int t = positions[p]; t >= 0; t--) {
                if (t < positions[p] && ids[t] == SEPARATOR && kind == Kind.PRM) {
                    break;
                }
                if (ids[t] >= base && ids[t] <= base + MARKER_SCALE) {
                    score = (ids[t] - base) / (double) MARKER_SCALE;
                    break;
                }
            }
            scores[p] = (float) score;
        }
        return scores;
    }

    /** The prefix cache state: the ids seen so far, from which any later score follows. */
    private final class State implements PrefixState {
        private long[] ids;

        State(long[] ids) {
            this.ids = ids;
        }

        @Override
        public int length() {
            return ids.length;
        }

        @Override
        public long sizeInBytes() {
            return 8L * ids.length + 16;
        }

        @Override
        public PrefixState copy() {
            return new State(ids.clone());
        }

        @Override
        public float[] extend(long[] inputIds, int[] positions) {
            int offset = ids.length;
            long[] longer = Arrays.copyOf(ids, offset + inputIds.length);
            System.arraycopy(inputIds, 0, longer, offset, inputIds.length);
            ids = longer;
            int[] absolute = Arrays.stream(positions).map(p -> p + offset).toArray();
            return scoreAt(ids, absolute);
        }

        @Override
        public void close() {}
    }

    private static void appendAll(List<Long> ids, long[] values) {
        for (long value : values) {
            ids.add(value);
        }
    }
}
