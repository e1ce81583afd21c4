package dev.stepwise.orm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.StepSegmenter.Segment;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.internal.RewardModelCore;
import dev.stepwise.prm.train.Backbone;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An outcome reward model: a decoder backbone plus a one-logit head ({@code score.weight}, as in
 * {@code LlamaForSequenceClassification}) read at the last non-padding token of an answer; the score is
 * sigmoid(logit) in [0, 1].
 *
 * <p>Lifecycle: the model owns backbone and tokenizer; {@link #close()} frees both. Thread-safety: the scoring
 * methods may run from several threads at once, but not while the model is being trained.
 */
public final class OutcomeRewardModel implements AutoCloseable {

    private final RewardModelCore core;

    private OutcomeRewardModel(RewardModelCore core) {
        this.core = core;
    }

    /**
     * Loads a model folder with {@code stepwise.json}, or without one using {@link ModelCard#outcomeDefaults()}
     * (a warning names the defaults).
     *
     * @throws IllegalArgumentException when the folder contains a PRM or lacks {@code score.weight}
     */
    public static OutcomeRewardModel load(Path dir, Device device) throws IOException {
        RewardModelCore core = RewardModelCore.load(dir, device, ModelCard.outcomeDefaults());
        if (core.card().task() != ModelCard.Task.ORM) {
            core.close();
            throw new IllegalArgumentException(dir + " contains a " + core.card().task()
                    + " model; load it with ProcessRewardModel");
        }
        return new OutcomeRewardModel(core);
    }

    /**
     * Puts a new normal(0, 0.02) head from {@code seed} on a backbone, for training. Takes ownership of backbone
     * and tokenizer.
     *
     * @throws IllegalArgumentException when the card is not an ORM card
     */
    public static OutcomeRewardModel create(DecoderModel backbone, TextTokenizer tokenizer, ModelCard card,
            long seed) {
        if (card.task() != ModelCard.Task.ORM) {
            throw new IllegalArgumentException("OutcomeRewardModel needs an ORM card, found task " + card.task());
        }
        return new OutcomeRewardModel(RewardModelCore.create(backbone, tokenizer, card, seed));
    }

    public ModelCard card() {
        return core.card();
    }

    /** Replaces the card, for example with a calibrated threshold; task and head kind must stay the same. */
    public void setCard(ModelCard card) {
        core.setCard(card);
    }

    /**
     * Returns the segmenter built from the card; use {@link StepSegmenter#segmentAnswer} for outcome scoring.
     *
     * @throws IllegalStateException when the card's separator is not one token for this tokenizer
     */
    public StepSegmenter segmenter() {
        return core.segmenter();
    }

    public DecoderModel backbone() {
        return core.backbone();
    }

    public TextTokenizer tokenizer() {
        return core.tokenizer();
    }

    /** Head tensors by name ({@code score.weight}), shared with the backbone's weights. For trainers. */
    public Map<String, NDArray> head() {
        return core.head();
    }

    /** Returns the backbone in the form {@link dev.stepwise.prm.train.RewardTrainer} takes. */
    public Backbone trainingBackbone() {
        return core.trainingBackbone();
    }

    /**
     * Scores each segment at its last token, in one padded batch.
     *
     * @return one score in [0, 1] per segment
     * @throws IllegalArgumentException when a segment has no tokens
     * @throws IllegalStateException when a score is not finite
     */
    public float[] scoreSegments(List<Segment> segments) {
        List<long[]> sequences = new ArrayList<>(segments.size());
        List<int[]> positions = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            long[] ids = segments.get(i).inputIds();
            if (ids.length == 0) {
                throw new IllegalArgumentException("segment " + i + " has no tokens");
            }
            sequences.add(ids);
            positions.add(new int[] {ids.length - 1});
        }
        float[][] scores = core.scoreRows(sequences, positions, false);
        float[] result = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            result[i] = scores[i][0];
        }
        return result;
    }

    /**
     * Scores a batch the caller padded, at each row's last attended token (the last index whose mask is 1), so left
     * padding, right padding and pad = eos all read the same token.
     *
     * @param inputIds (B, T) int64
     * @param attentionMask (B, T) int64, 1 for tokens and 0 for padding, at least one 1 per row
     */
    public float[] scoreBatch(NDArray inputIds, NDArray attentionMask) {
        return core.scoreLastTokens(inputIds, attentionMask);
    }

    /** Writes a Hugging Face folder ({@code LlamaForSequenceClassification}-style names) plus {@code stepwise.json}. */
    public void save(Path dir) throws IOException {
        core.save(dir);
    }

    @Override
    public void close() {
        core.close();
    }
}
