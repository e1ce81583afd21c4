package dev.stepwise.prm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.StepSegmenter.Segment;
import dev.stepwise.prm.internal.RewardModelCore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A process reward model: a decoder backbone plus a head that gives every step a score in [0, 1], the estimated
 * probability that the step is correct. The score of a step is read at its separator token, the score position
 * that {@link StepSegmenter} returns.
 *
 * <p>Lifecycle: the model owns backbone and tokenizer; {@link #close()} frees both. Thread-safety: the scoring
 * methods may run from several threads at once, but not while the model is being trained.
 */
public final class ProcessRewardModel implements AutoCloseable {

    private final RewardModelCore core;

    private ProcessRewardModel(RewardModelCore core) {
        this.core = core;
    }

    /**
     * Loads a model folder: {@code config.json}, safetensors, tokenizer files and {@code stepwise.json}.
     *
     * <p>A folder without {@code stepwise.json} is read as Qwen2.5-Math-PRM: two-class head {@code score.0}/
     * {@code score.2}, separator {@code <extra_0>}, prompt format {@code qwen2.5-math-prm}, threshold 0.5,
     * 4096 tokens ({@link ModelCard#qwenMathPrmDefaults()}); a warning names the defaults.
     *
     * @throws IllegalArgumentException when the card is invalid, a head tensor is missing, or the separator is not
     *     one token for this tokenizer
     */
    public static ProcessRewardModel load(Path dir, Device device) throws IOException {
        RewardModelCore core = RewardModelCore.load(dir, device, ModelCard.qwenMathPrmDefaults());
        if (core.card().task() != ModelCard.Task.PRM) {
            core.close();
            throw new IllegalArgumentException(dir + " contains an " + core.card().task()
                    + " model; load it with OutcomeRewardModel");
        }
        return new ProcessRewardModel(core);
    }

    /**
     * Puts a new head on a backbone, for training. Two-class and sigmoid heads get normal(0, 0.02) weights from
     * {@code seed}; a label-token head starts from the backbone's language-model rows of its two tokens. Takes
     * ownership of backbone and tokenizer.
     *
     * @throws IllegalArgumentException when the card is not a PRM card
     */
    public static ProcessRewardModel create(DecoderModel backbone, TextTokenizer tokenizer, ModelCard card,
            long seed) {
        if (card.task() != ModelCard.Task.PRM) {
            throw new IllegalArgumentException("ProcessRewardModel needs a PRM card, found task " + card.task());
        }
        return new ProcessRewardModel(RewardModelCore.create(backbone, tokenizer, card, seed));
    }

    public ModelCard card() {
        return core.card();
    }

    /** Replaces the card, for example with a calibrated threshold; task and head kind must stay the same. */
    public void setCard(ModelCard card) {
        core.setCard(card);
    }

    /** Returns the segmenter built from the card's prompt format, separator and token limit. */
    public StepSegmenter segmenter() {
        return core.segmenter();
    }

    public DecoderModel backbone() {
        return core.backbone();
    }

    public TextTokenizer tokenizer() {
        return core.tokenizer();
    }

    /**
     * Head tensors by name, shared with the backbone's weights (two-class and sigmoid heads) or, for the label-token
     * head, the two language-model rows that {@link #save} writes back. For trainers.
     */
    public Map<String, NDArray> head() {
        return core.head();
    }

    /** Returns the backbone in the form {@link dev.stepwise.prm.train.RewardTrainer} takes. */
    public dev.stepwise.prm.train.Backbone trainingBackbone() {
        return core.trainingBackbone();
    }

    /**
     * Scores every score position of every segment in one padded batch. Positions come from the attention mask, so
     * a segment's scores do not depend on the other segments of the batch beyond float32 rounding.
     *
     * @return per segment, one score in [0, 1] per entry of {@code scorePositions}
     * @throws IllegalStateException when a score is not finite
     */
    public float[][] scoreSegments(List<Segment> segments) {
        List<long[]> sequences = new ArrayList<>(segments.size());
        List<int[]> positions = new ArrayList<>(segments.size());
        for (Segment segment : segments) {
            sequences.add(segment.inputIds());
            positions.add(segment.scorePositions());
        }
        return core.scoreRows(sequences, positions, false);
    }

    /**
     * Scores hidden states the caller already computed, for incremental scoring with a key/value cache.
     *
     * @param hiddenStates (T, H) or (1, T, H) float32 final-norm hidden states of one sequence
     * @param positions token indices into T
     * @return one score in [0, 1] per position
     */
    public float[] scoreAtPositions(NDArray hiddenStates, int[] positions) {
        return core.scoreAtPositions(hiddenStates, positions);
    }

    /** Writes a Hugging Face folder (config, safetensors, tokenizer) plus {@code stepwise.json}. */
    public void save(Path dir) throws IOException {
        core.save(dir);
    }

    @Override
    public void close() {
        core.close();
    }
}
