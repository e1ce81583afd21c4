package dev.stepwise.serve;

import dev.stepwise.serve.internal.ScoringBackend;
import dev.stepwise.serve.internal.ScoringInput;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small causal scorer for service tests: one token per character (code points above 254 become 255), the text
 * {@code <step>} is token 256, and the score at position p is sigmoid(h_p) with h_t = 0.5 h_(t-1) + (id_t mod 7 - 3)/4.
 * Prefix scores never depend on later tokens, so prefix caching is exact. Two tokens change its behaviour for tests:
 * {@code !} makes a batch throw and {@code ~} makes the score NaN.
 */
final class ToyBackend implements ScoringBackend {

    static final long SEPARATOR_ID = 256;
    static final String TAG = "<step>";

    private final Kind kind;
    private final int maxTokens;
    private final double threshold;
    private volatile long batchDelayMillis;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    ToyBackend(Kind kind, int maxTokens, double threshold) {
        this.kind = kind;
        this.maxTokens = maxTokens;
        this.threshold = threshold;
    }

    static ToyBackend prm() {
        return new ToyBackend(Kind.PRM, 4096, 0.5);
    }

    static ToyBackend orm() {
        return new ToyBackend(Kind.ORM, 4096, 0.5);
    }

    @Override
    public java.util.Optional<String> stepSeparator() {
        return kind == Kind.PRM ? java.util.Optional.of(TAG) : java.util.Optional.empty();
    }

    /** Every batch sleeps this long before it returns, to build up a queue. */
    void delayBatches(long millis) {
        this.batchDelayMillis = millis;
    }

    /** Returns the score the toy model gives after reading {@code ids[0..=position]}. */
    static float expectedScore(long[] ids, int position) {
        double h = 0;
        for (int t = 0; t <= position; t++) {
            h = step(h, ids[t]);
        }
        return activation(h);
    }

    private static double step(double h, long id) {
        return id == '~' ? Double.NaN : 0.5 * h + ((id % 7) - 3) / 4.0;
    }

    private static float activation(double h) {
        return (float) (1 / (1 + Math.exp(-h)));
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int vocabSize() {
        return 257;
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public ScoringInput segmentSteps(String problem, List<String> steps) {
        List<Long> ids = new ArrayList<>();
        appendText(ids, problem + "\n");
        int[] positions = new int[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            if (steps.get(k).contains(TAG)) {
                throw new IllegalArgumentException("step " + k + " contains the step separator '" + TAG + "'");
            }
            appendText(ids, (k == 0 ? "" : "\n") + steps.get(k));
            ids.add(SEPARATOR_ID);
            positions[k] = ids.size() - 1;
        }
        return new ScoringInput(toArray(ids), positions, steps.size(), false);
    }

    @Override
    public ScoringInput segmentAnswer(String problem, String answer) {
        List<Long> ids = new ArrayList<>();
        appendText(ids, problem + "\n" + answer);
        return new ScoringInput(toArray(ids), new int[] {ids.size() - 1}, 1, false);
    }

    @Override
    public long[] encode(String text) {
        List<Long> ids = new ArrayList<>();
        String[] parts = text.split(java.util.regex.Pattern.quote(TAG), -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                ids.add(SEPARATOR_ID);
            }
            appendText(ids, parts[i]);
        }
        return toArray(ids);
    }

    @Override
    public OptionalLong stepSeparatorId() {
        return kind == Kind.PRM ? OptionalLong.of(SEPARATOR_ID) : OptionalLong.empty();
    }

    @Override
    public float[][] score(List<ScoringInput> batch) {
        batchSizes.add(batch.size());
        sleep();
        float[][] out = new float[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            ScoringInput input = batch.get(i);
            for (long id : input.inputIds()) {
                if (id == '!') {
                    throw new IllegalStateException("toy model failure on token '!'");
                }
            }
            out[i] = new float[input.scorePositions().length];
            double h = 0;
            int next = 0;
            for (int t = 0; t < input.length() && next < out[i].length; t++) {
                h = step(h, input.inputIds()[t]);
                if (t == input.scorePositions()[next]) {
                    out[i][next++] = activation(h);
                }
            }
        }
        return out;
    }

    @Override
    public PrefixState newPrefixState() {
        return new ToyPrefix(0, 0);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void sleep() {
        if (batchDelayMillis > 0) {
            try {
                Thread.sleep(batchDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void appendText(List<Long> ids, String text) {
        text.codePoints().forEach(c -> ids.add((long) Math.min(c, 255)));
    }

    private static long[] toArray(List<Long> ids) {
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** The running state h after {@code length} tokens; its size is 64 bytes per token, like a small key/value cache. */
    private final class ToyPrefix implements PrefixState {
        private double h;
        private int length;

        ToyPrefix(double h, int length) {
            this.h = h;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public long sizeInBytes() {
            return 64L * length;
        }

        @Override
        public PrefixState copy() {
            return new ToyPrefix(h, length);
        }

        @Override
        public float[] extend(long[] inputIds, int[] positions) {
            sleep();
            float[] out = new float[positions.length];
            int next = 0;
            for (int t = 0; t < inputIds.length; t++) {
                h = step(h, inputIds[t]);
                if (next < positions.length && t == positions[next]) {
                    out[next++] = activation(h);
                }
            }
            length += inputIds.length;
            return out;
        }

        @Override
        public void close() {
            length = -1;
        }
    }
}
