package dev.stepwise.serve.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.KvCache;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.StepSegmenter.Segment;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ScoringBackend} over a {@link ProcessRewardModel} or an {@link OutcomeRewardModel}.
 *
 * <p>Segmentation goes through the model's own {@link StepSegmenter} settings (prompt format, separator), rebuilt
 * without a token limit so that the service decides about limits and truncation itself. Scores come from the model's
 * float32 head. The prm and orm modules throw {@link IllegalStateException} for a non-finite score; a batch that
 * throws is rescored row by row, and the rows that still throw come back as NaN, which the service reports as
 * {@code non_finite_score} to their requests only.
 */
public final class RewardModelBackend implements ScoringBackend {

    private static final Logger LOG = LoggerFactory.getLogger(RewardModelBackend.class);

    private final ProcessRewardModel prm;
    private final OutcomeRewardModel orm;
    private final ModelCard card;
    private final TextTokenizer tokenizer;
    private final DecoderModel backbone;
    private final StepSegmenter segmenter;
    private final int vocabSize;

    private RewardModelBackend(ProcessRewardModel prm, OutcomeRewardModel orm) {
        this.prm = prm;
        this.orm = orm;
        this.card = prm != null ? prm.card() : orm.card();
        this.tokenizer = prm != null ? prm.tokenizer() : orm.tokenizer();
        this.backbone = prm != null ? prm.backbone() : orm.backbone();
        // NOTE: an ORM whose card separator is not one token has no segmenter, so it cannot be served, although
        // segmentAnswer never places a separator.
        StepSegmenter own = prm != null ? prm.segmenter() : orm.segmenter();
        this.segmenter = new StepSegmenter(tokenizer, own.format(), own.separator(), Integer.MAX_VALUE);
        this.vocabSize = Math.min(tokenizer.vocabSize(), backbone.config().vocabSize());
    }

    /** Serves a process reward model; the backend takes ownership and closes it. */
    public static RewardModelBackend of(ProcessRewardModel model) {
        return new RewardModelBackend(model, null);
    }

    /** Serves an outcome reward model; the backend takes ownership and closes it. */
    public static RewardModelBackend of(OutcomeRewardModel model) {
        return new RewardModelBackend(null, model);
    }

    @Override
    public Kind kind() {
        return prm != null ? Kind.PRM : Kind.ORM;
    }

    @Override
    public int maxTokens() {
        return card.maxTokens();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public double threshold() {
        return card.threshold();
    }

    @Override
    public Optional<String> stepSeparator() {
        return prm != null ? Optional.of(segmenter.separator()) : Optional.empty();
    }

    @Override
    public ScoringInput segmentSteps(String problem, List<String> steps) {
        if (prm == null) {
            throw new IllegalStateException("segmentSteps called on an ORM backend; this is a bug");
        }
        Segment segment;
        try {
            segment = segmenter.segment(problem, steps);
        } catch (RejectedRecordException e) {
            // The record id and reason code mean nothing to an HTTP client, so only the detail is kept.
            String message = e.getMessage();
            int detail = message.indexOf("): ");
            throw new IllegalArgumentException(detail >= 0 ? message.substring(detail + 3) : message, e);
        }
        return new ScoringInput(segment.inputIds(), segment.scorePositions(), steps.size(), false);
    }

    @Override
    public ScoringInput segmentAnswer(String problem, String answer) {
        Segment segment = segmenter.segmentAnswer(problem, answer);
        if (segment.keptSteps() == 0) {
            throw new IllegalArgumentException("the answer encodes to no tokens in prompt format '"
                    + segmenter.format().name() + "'");
        }
        return new ScoringInput(segment.inputIds(), segment.scorePositions(), 1, false);
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text).ids();
    }

    @Override
    public OptionalLong stepSeparatorId() {
        return prm != null ? OptionalLong.of(segmenter.separatorId()) : OptionalLong.empty();
    }

    @Override
    public float[][] score(List<ScoringInput> batch) {
        try {
            return scoreRows(batch);
        } catch (IllegalStateException e) {
            LOG.warn("batch of {} items failed ({}); rescoring each item alone to find the failing ones", batch.size(),
                    e.getMessage());
        }
        float[][] result = new float[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            try {
                result[i] = scoreRows(List.of(batch.get(i)))[0];
            } catch (IllegalStateException e) {
                result[i] = new float[batch.get(i).scorePositions().length];
                Arrays.fill(result[i], Float.NaN);
            }
        }
        return result;
    }

    private float[][] scoreRows(List<ScoringInput> batch) {
        List<Segment> segments = new ArrayList<>(batch.size());
        for (ScoringInput input : batch) {
            int[] positions = input.scorePositions();
            segments.add(new Segment(input.inputIds(), positions, positions.length, input.stepCount(),
                    input.truncated(), !input.truncated()));
        }
        if (prm != null) {
            return prm.scoreSegments(segments);
        }
        float[] scores = orm.scoreSegments(segments);
        float[][] result = new float[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            result[i] = new float[] {scores[i]};
        }
        return result;
    }

    @Override
    public PrefixState newPrefixState() {
        if (prm == null) {
            throw new UnsupportedOperationException("incremental scoring needs a PRM; this model is an ORM");
        }
        return new CachedPrefix(backbone.newCache());
    }

    /**
     * Extends every state in one forward pass of the backbone ({@link DecoderModel#hiddenStates(List, List,
     * NDManager)}) and scores all positions with one head call. When the head throws for a non-finite score, each row is
     * scored again alone, and the rows that still throw get NaN.
     */
    @Override
    public List<float[]> extendAll(List<PrefixState> states, List<long[]> inputIds, List<int[]> positions) {
        List<KvCache> caches = new ArrayList<>(states.size());
        for (PrefixState state : states) {
            if (!(state instanceof CachedPrefix cached) || cached.owner() != this) {
                throw new IllegalArgumentException("prefix state does not belong to this backend; this is a bug");
            }
            caches.add(cached.cache);
        }
        try (NDManager manager = backbone.manager().newSubManager()) {
            NDArray hidden = backbone.hiddenStates(caches, inputIds, manager);
            int rows = states.size();
            int width = Math.toIntExact(hidden.getShape().get(1));
            NDArray flat = hidden.reshape((long) rows * width, -1);
            int total = positions.stream().mapToInt(row -> row.length).sum();
            int[] flatPositions = new int[total];
            int next = 0;
            for (int b = 0; b < rows; b++) {
                for (int position : positions.get(b)) {
                    flatPositions[next++] = b * width + position;
                }
            }
            List<float[]> result = new ArrayList<>(rows);
            if (total == 0) {
                positions.forEach(row -> result.add(new float[0]));
                return result;
            }
            try {
                float[] scores = prm.scoreAtPositions(flat, flatPositions);
                next = 0;
                for (int[] row : positions) {
                    result.add(Arrays.copyOfRange(scores, next, next + row.length));
                    next += row.length;
                }
                return result;
            } catch (IllegalStateException e) {
                LOG.warn("incremental batch of {} items has a non-finite score ({}); scoring each item alone to find "
                        + "the failing ones", rows, e.getMessage());
            }
            for (int b = 0; b < rows; b++) {
                result.add(scoreRow(hidden.get(b), positions.get(b)));
            }
            return result;
        }
    }

    /** Scores one row of hidden states, NaN at every position when the head throws for a non-finite score. */
    private float[] scoreRow(NDArray hidden, int[] positions) {
        if (positions.length == 0) {
            return new float[0];
        }
        try {
            return prm.scoreAtPositions(hidden, positions);
        } catch (IllegalStateException e) {
            float[] nonFinite = new float[positions.length];
            Arrays.fill(nonFinite, Float.NaN);
            return nonFinite;
        }
    }

    @Override
    public void close() {
        if (prm != null) {
            prm.close();
        } else {
            orm.close();
        }
    }

    /** A {@link KvCache} of the backbone and the number of tokens in it. */
    private final class CachedPrefix implements PrefixState {
        private final KvCache cache;

        CachedPrefix(KvCache cache) {
            this.cache = cache;
        }

        @Override
        public int length() {
            return cache.length();
        }

        @Override
        public long sizeInBytes() {
            return cache.sizeInBytes();
        }

        @Override
        public PrefixState copy() {
            return new CachedPrefix(cache.fork());
        }

        @Override
        public float[] extend(long[] inputIds, int[] positions) {
            try (NDManager manager = backbone.manager().newSubManager()) {
                NDArray ids = manager.create(inputIds, new Shape(1, inputIds.length));
                NDArray hidden = backbone.hiddenStates(ids, cache);
                return scoreRow(hidden, positions);
            }
        }

        RewardModelBackend owner() {
            return RewardModelBackend.this;
        }

        @Override
        public void close() {
            cache.close();
        }
    }
}
