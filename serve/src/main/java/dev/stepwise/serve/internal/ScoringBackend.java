package dev.stepwise.serve.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The model behind one served name: turns requests into token ids and scores them.
 *
 * <p>Threads: the {@code segment*} and {@link #encode} methods are called from many worker threads at once and must
 * be thread-safe. {@link #score} and the {@link PrefixState} methods are called from the model's single batcher thread
 * only. Scores are float32 in [0, 1]; the server checks them and rejects non-finite values.
 */
public interface ScoringBackend extends AutoCloseable {

    /** Whether the model scores steps or whole answers. */
    enum Kind { PRM, ORM }

    Kind kind();

    /** Maximum input length the model accepts, in tokens. */
    int maxTokens();

    /** Number of token ids the model embeds; valid ids are in [0, vocabSize). */
    int vocabSize();

    /** Decision threshold in (0, 1): a step scored below it counts as wrong. */
    double threshold();

    /**
     * Token ids of (problem, steps) in the model's prompt format with one score position per step, untruncated.
     * Only for {@link Kind#PRM}. The ids for a prefix of the steps are a prefix of these ids.
     */
    ScoringInput segmentSteps(String problem, List<String> steps);

    /** Token ids of (problem, answer) in the model's prompt format, scored at the last token. Only for {@link Kind#ORM}. */
    ScoringInput segmentAnswer(String problem, String answer);

    /** Token ids of raw text as the model's tokenizer encodes it, without special tokens. */
    long[] encode(String text);

    /** Token id of the step separator, the token a PRM scores; empty for an ORM. */
    OptionalLong stepSeparatorId();

    /**
     * Text of the step separator, which a step of a PRM request must not contain; empty for an ORM. The default is
     * empty, so that the server leaves the check to {@link #segmentSteps}.
     */
    default Optional<String> stepSeparator() {
        return Optional.empty();
    }

    /**
     * Scores a batch: {@code result[i][j]} is the score of input i at its j-th score position. The value for an input
     * must not depend on the other inputs of the batch beyond float32 rounding.
     */
    float[][] score(List<ScoringInput> batch);

    /** An empty key/value cache to extend token by token; see {@link PrefixState}. */
    PrefixState newPrefixState();

    /**
     * Extends several distinct prefix states, each by its own tokens, and returns per state the scores at its
     * positions, as {@link PrefixState#extend} does for one. A backend that can run them as one batch overrides this;
     * the default extends them one at a time. Scores must not depend on the other states beyond float32 rounding.
     *
     * @param states states from {@link #newPrefixState()} or {@link PrefixState#copy()}, none twice
     * @param inputIds per state the ids to append, at least one each
     * @param positions per state the positions to score, indexes into its {@code inputIds}
     */
    default List<float[]> extendAll(List<PrefixState> states, List<long[]> inputIds, List<int[]> positions) {
        List<float[]> scores = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            scores.add(states.get(i).extend(inputIds.get(i), positions.get(i)));
        }
        return scores;
    }

    /** Releases native memory; called once after the batcher thread has stopped. */
    @Override
    void close();

    /**
     * The key/value cache of a token prefix. {@link #extend} appends tokens and returns the scores at positions
     * among the new tokens, equal within 1e-5 to {@link ScoringBackend#score} of the whole sequence.
     */
    interface PrefixState extends AutoCloseable {

        /** Tokens in the cache. */
        int length();

        /** Memory held by the cache, in bytes. */
        long sizeInBytes();

        /** An independent copy, so that two continuations of one prefix do not see each other. */
        PrefixState copy();

        /**
         * Appends {@code inputIds} and returns the scores at {@code positions}, indexes into {@code inputIds}.
         */
        float[] extend(long[] inputIds, int[] positions);

        @Override
        void close();
    }
}
