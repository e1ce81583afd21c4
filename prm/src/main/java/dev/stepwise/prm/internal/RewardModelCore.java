package dev.stepwise.prm.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.Encoding;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.LabelTokens;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.train.Backbone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared part of process and outcome reward models: a backbone, its tokenizer and segmenter, the card, the head
 * tensors, batched scoring at given positions, and writing a Hugging Face folder. Owns backbone and tokenizer.
 */
public final class RewardModelCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RewardModelCore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final DecoderModel backbone;
    private final TextTokenizer tokenizer;
    private final StepSegmenter segmenter;
    private final String segmenterProblem;
    private volatile ModelCard card;
    private final Map<String, NDArray> head;
    private final long[] labelTokenIds;

    private RewardModelCore(DecoderModel backbone, TextTokenizer tokenizer, ModelCard card, Map<String, NDArray> head,
            long[] labelTokenIds) {
        this.backbone = backbone;
        this.tokenizer = tokenizer;
        this.card = card;
        this.head = head;
        this.labelTokenIds = labelTokenIds;
        StepSegmenter built = null;
        String problem = null;
        try {
            built = new StepSegmenter(tokenizer, PromptFormat.named(card.promptFormat()), card.stepSeparator(),
                    card.maxTokens());
        } catch (IllegalArgumentException e) {
            if (card.task() == ModelCard.Task.PRM) {
                throw e;
            }
            // An ORM scores whole answers, so a separator that is not one token only disables step segmentation.
            problem = e.getMessage();
            LOG.warn("outcome model has no step segmenter: {}", problem);
        }
        this.segmenter = built;
        this.segmenterProblem = problem;
    }

    /**
     * Loads a model folder: {@code config.json}, safetensors, tokenizer files and {@code stepwise.json}, or
     * {@code defaultCard} when the folder has no card.
     *
     * @throws IllegalArgumentException when head tensors or label tokens the card needs are missing
     */
    public static RewardModelCore load(Path dir, Device device, ModelCard defaultCard) throws IOException {
        ModelCard card;
        if (Files.exists(dir.resolve(ModelCard.FILE_NAME))) {
            card = ModelCard.read(dir);
        } else {
            card = defaultCard;
            LOG.warn("{} has no {}; using defaults {}", dir, ModelCard.FILE_NAME, card);
        }
        DecoderModel backbone = DecoderModel.load(dir, device);
        TextTokenizer tokenizer = null;
        try {
            tokenizer = TextTokenizer.load(dir);
            return fromParts(backbone, tokenizer, card, dir.toString(), -1);
        } catch (IOException | RuntimeException e) {
            backbone.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        }
    }

    /**
     * Wraps a backbone with a new head initialised from {@code seed} (label-token heads take their rows from the
     * backbone's language-model head). Takes ownership of backbone and tokenizer.
     */
    public static RewardModelCore create(DecoderModel backbone, TextTokenizer tokenizer, ModelCard card, long seed) {
        return fromParts(backbone, tokenizer, card, "new " + card.headKind() + " head", seed);
    }

    private static RewardModelCore fromParts(DecoderModel backbone, TextTokenizer tokenizer, ModelCard card,
            String where, long seed) {
        Map<String, NDArray> head = new LinkedHashMap<>();
        long[] labelIds = null;
        if (card.headKind() == HeadKind.LM_LABEL_TOKENS) {
            labelIds = labelTokenIds(tokenizer, card.labelTokens());
            NDArray matrix = languageModelMatrix(backbone, where);
            NDArray positive = matrix.get(labelIds[0]).duplicate();
            NDArray negative = matrix.get(labelIds[1]).duplicate();
            positive.attach(backbone.manager());
            negative.attach(backbone.manager());
            head.put(HeadMath.POSITIVE_ROW, positive);
            head.put(HeadMath.NEGATIVE_ROW, negative);
        } else {
            if (seed >= 0) {
                int hidden = backbone.config().hiddenSize();
                HeadMath.initialize(card.headKind(), hidden, seed, backbone.manager()).forEach(backbone::putWeight);
            }
            for (String name : card.headKind().tensorNames()) {
                NDArray tensor = backbone.weights().get(name);
                if (tensor == null) {
                    throw new IllegalArgumentException(where + " has no tensor '" + name + "' that head kind "
                            + card.headKind() + " needs; found head tensors " + headNames(backbone));
                }
                head.put(name, tensor);
            }
        }
        return new RewardModelCore(backbone, tokenizer, card, head, labelIds);
    }

    public ModelCard card() {
        return card;
    }

    public void setCard(ModelCard newCard) {
        if (newCard.headKind() != card.headKind() || newCard.task() != card.task()) {
            throw new IllegalArgumentException("a new card must keep task and head kind " + card.task() + "/"
                    + card.headKind() + ", found " + newCard.task() + "/" + newCard.headKind());
        }
        this.card = newCard;
    }

    public DecoderModel backbone() {
        return backbone;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Returns the segmenter built from the card.
     *
     * @throws IllegalStateException for an outcome model whose card separator is not one token
     */
    public StepSegmenter segmenter() {
        if (segmenter == null) {
            throw new IllegalStateException("this outcome model has no step segmenter: " + segmenterProblem);
        }
        return segmenter;
    }

    /** Head tensors by name; for the label-token head, the two rows under {@link HeadMath#POSITIVE_ROW} and friends. */
    public Map<String, NDArray> head() {
        return head;
    }

    /** Returns the backbone in the form the trainer takes. */
    public Backbone trainingBackbone() {
        DecoderModel model = backbone;
        return new Backbone() {
            @Override
            public int hiddenSize() {
                return model.config().hiddenSize();
            }

            @Override
            public int layerCount() {
                return model.config().numHiddenLayers();
            }

            @Override
            public Map<String, NDArray> weights() {
                return model.weights();
            }

            @Override
            public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
                return model.hiddenStates(inputIds, attentionMask);
            }
        };
    }

    /**
     * Scores sequences at given positions in one padded batch.
     *
     * @param sequences token ids per row
     * @param positions per row, the token indices to score
     * @param leftPadding pad rows on the left instead of the right; results are the same either way
     * @return per row, one score in [0, 1] per position
     * @throws IllegalStateException when a score is not finite
     */
    public float[][] scoreRows(List<long[]> sequences, List<int[]> positions, boolean leftPadding) {
        int rows = sequences.size();
        if (rows == 0) {
            return new float[0][];
        }
        int width = 0;
        int picked = 0;
        for (int r = 0; r < rows; r++) {
            width = Math.max(width, sequences.get(r).length);
            picked += positions.get(r).length;
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] flat = new long[picked];
        int next = 0;

        // pad: copy each row at its offset and mark its tokens in the mask
        for (int r = 0; r < rows; r++) {
            long[] sequence = sequences.get(r);
            int offset = leftPadding ? width - sequence.length : 0;
            System.arraycopy(sequence, 0, ids, r * width + offset, sequence.length);
            Arrays.fill(mask, r * width + offset, r * width + offset + sequence.length, 1L);
            for (int position : positions.get(r)) {
                if (position < 0 || position >= sequence.length) {
                    throw new IllegalArgumentException("score position " + position + " of row " + r
                            + " is outside the sequence of " + sequence.length + " tokens");
                }
                flat[next++] = (long) r * width + offset + position;
            }
        }

        // forward, then gather the score positions and apply the head
        float[] scores;
        try (NDManager manager = backbone.manager().newSubManager()) {
            NDArray hidden = backbone.hiddenStates(manager.create(ids, new Shape(rows, width)),
                    manager.create(mask, new Shape(rows, width)));
            NDArray features = hidden.reshape((long) rows * width, -1).get(manager.create(flat));
            scores = sigmoidScores(features);
        }

        float[][] result = new float[rows][];
        next = 0;
        for (int r = 0; r < rows; r++) {
            result[r] = Arrays.copyOfRange(scores, next, next + positions.get(r).length);
            next += positions.get(r).length;
        }
        return result;
    }

    /**
     * Scores a batch that the caller padded, at each row's last attended token: the largest index whose mask is 1.
     * Correct for left padding, right padding, and a pad id equal to the end-of-sequence id.
     *
     * @param inputIds (B, T) int64
     * @param attentionMask (B, T) int64 with at least one 1 per row
     * @return one score per row
     */
    public float[] scoreLastTokens(NDArray inputIds, NDArray attentionMask) {
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2 || !shape.equals(attentionMask.getShape())) {
            throw new IllegalArgumentException("inputIds and attentionMask must both have shape (B, T), found "
                    + shape + " and " + attentionMask.getShape());
        }
        long[] mask = attentionMask.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        int rows = (int) shape.get(0);
        int width = (int) shape.get(1);
        long[] flat = new long[rows];
        for (int r = 0; r < rows; r++) {
            int last = -1;
            for (int t = 0; t < width; t++) {
                if (mask[r * width + t] != 0) {
                    last = t;
                }
            }
            if (last < 0) {
                throw new IllegalArgumentException("row " + r + " of attentionMask has no attended token");
            }
            flat[r] = (long) r * width + last;
        }
        try (NDManager manager = backbone.manager().newSubManager()) {
            NDArray ids = inputIds.duplicate();
            ids.attach(manager);
            NDArray hidden = backbone.hiddenStates(ids, attentionMask);
            NDArray features = hidden.reshape((long) rows * width, -1).get(manager.create(flat));
            return sigmoidScores(features);
        }
    }

    /**
     * Scores hidden states at positions.
     *
     * @param hiddenStates (T, H) or (1, T, H) float32
     */
    public float[] scoreAtPositions(NDArray hiddenStates, int[] positions) {
        Shape shape = hiddenStates.getShape();
        boolean batched = shape.dimension() == 3;
        if (!(shape.dimension() == 2 || batched && shape.get(0) == 1)) {
            throw new IllegalArgumentException("hiddenStates must have shape (T, H) or (1, T, H), found " + shape);
        }
        long length = shape.get(batched ? 1 : 0);
        long[] index = new long[positions.length];
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= length) {
                throw new IllegalArgumentException(
                        "score position " + positions[i] + " is outside the " + length + " hidden states");
            }
            index[i] = positions[i];
        }
        try (NDManager manager = hiddenStates.getManager().newSubManager()) {
            NDArray flat = batched ? hiddenStates.reshape(length, -1) : hiddenStates;
            NDArray features = flat.get(manager.create(index).toDevice(flat.getDevice(), false));
            features.attach(manager);
            return sigmoidScores(features);
        }
    }

    /**
     * Writes the model as a Hugging Face folder: {@code config.json} (its {@code architectures} and
     * {@code num_labels} set for the head), {@code model.safetensors}, tokenizer files and {@code stepwise.json}.
     */
    public void save(Path dir) throws IOException {
        if (card.headKind() == HeadKind.LM_LABEL_TOKENS) {
            writeLabelRowsBack();
        }
        backbone.save(dir);
        patchConfig(dir.resolve("config.json"));
        tokenizer.save(dir);
        card.write(dir);
    }

    @Override
    public void close() {
        backbone.close();
        tokenizer.close();
    }

    private float[] sigmoidScores(NDArray features) {
        NDArray logits = HeadMath.positiveLogits(card.headKind(), head, features);
        float[] scores = logits.neg().exp().add(1f).pow(-1f).toFloatArray();
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalStateException("score " + i + " of " + scores.length + " is " + scores[i]
                        + "; the model weights contain NaN or infinity, or this is a bug");
            }
        }
        return scores;
    }

    private void writeLabelRowsBack() {
        String name = backbone.weights().containsKey("lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight";
        NDArray updated = backbone.weights().get(name).duplicate();
        updated.set(new ai.djl.ndarray.index.NDIndex("{}", labelTokenIds[0]), head.get(HeadMath.POSITIVE_ROW));
        updated.set(new ai.djl.ndarray.index.NDIndex("{}", labelTokenIds[1]), head.get(HeadMath.NEGATIVE_ROW));
        backbone.putWeight(name, updated);
    }

    private void patchConfig(Path configFile) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
        String family = familyPrefix(backbone.config());
        String className;
        int labels;
        switch (card.headKind()) {
            case TWO_CLASS:
                className = family + "ForProcessRewardModel";
                labels = 2;
                break;
            case SIGMOID:
                className = family + "ForSequenceClassification";
                labels = 1;
                break;
            default:
                className = family + "ForCausalLM";
                labels = config.path("num_labels").asInt(2);
        }
        config.putArray("architectures").add(className);
        config.put("num_labels", labels);
        Files.writeString(configFile, JSON.writeValueAsString(config));
    }

    private static String familyPrefix(ModelConfig config) {
        switch (config.architecture()) {
            case QWEN2:
                return "Qwen2";
            case MISTRAL:
                return "Mistral";
            default:
                return "Llama";
        }
    }

    private static NDArray languageModelMatrix(DecoderModel backbone, String where) {
        NDArray matrix = backbone.weights().get("lm_head.weight");
        if (matrix == null && backbone.config().tieWordEmbeddings()) {
            matrix = backbone.weights().get("model.embed_tokens.weight");
        }
        if (matrix == null) {
            throw new IllegalArgumentException(where + " has no lm_head.weight and untied embeddings, so head kind "
                    + HeadKind.LM_LABEL_TOKENS + " has no label-token rows");
        }
        return matrix;
    }

    /** Ids of the positive and negative label tokens, in that order; each must be exactly one token. */
    private static long[] labelTokenIds(TextTokenizer tokenizer, LabelTokens tokens) {
        return new long[] {singleTokenId(tokenizer, tokens.positive(), "positive"),
            singleTokenId(tokenizer, tokens.negative(), "negative")};
    }

    private static long singleTokenId(TextTokenizer tokenizer, String token, String role) {
        Encoding encoding = tokenizer.encode(token);
        if (encoding.size() != 1) {
            throw new IllegalArgumentException("the " + role + " label token '" + token + "' must encode to exactly"
                    + " one token, found " + encoding.size() + " ids " + Arrays.toString(encoding.ids()));
        }
        return encoding.ids()[0];
    }

    private static List<String> headNames(DecoderModel backbone) {
        List<String> names = new ArrayList<>();
        for (String name : backbone.weights().keySet()) {
            if (name.startsWith("score") || name.startsWith("lm_head")) {
                names.add(name);
            }
        }
        return names;
    }
}
