package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TokenizeStage;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.TraceReaders;
import dev.stepwise.dataset.arrow.StepDatasetMetadata;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepDatasetWriter;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.train.RewardTrainer;
import dev.stepwise.prm.train.StepExample;
import dev.stepwise.prm.train.StepObjective;
import dev.stepwise.prm.train.TrainableScope;
import dev.stepwise.prm.train.TrainingConfig;
import dev.stepwise.prm.train.TrainingSummary;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.client.PrmItem;
import dev.stepwise.serve.client.PrmResult;
import dev.stepwise.serve.client.ScoringClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-data path end to end on ProcessBench GSM8K (400 human-labelled model solutions) with the
 * real Qwen2.5 tokenizer. It imports and tokenizes into Arrow, trains a PRM head on a small random
 * Qwen2 backbone for a few steps, serves it, and scores every record over HTTP. The backbone is random, so
 * the scores mean nothing; the test checks that every stage accepts real data and that every
 * record comes back with one score per step.
 *
 * <p>Reads {@code $STEPWISE_SHARED_DATA/processbench/gsm8k.json} and
 * {@code $STEPWISE_SHARED_DATA/tokenizers/qwen2.5}; skipped when the variable is unset.
 */
class RealDataPipelineTest {
    private static final String SEPARATOR = ModelCard.QWEN_PRM_SEPARATOR;
    /** Records per scoring request. */
    private static final int REQUEST_ITEMS = 20;

    @TempDir
    Path work;

    @Test
    void processBenchThroughServiceKeepsStepCounts() throws Exception {
        String shared = System.getenv("STEPWISE_SHARED_DATA");
        assumeTrue(shared != null && !shared.isBlank(),
                "STEPWISE_SHARED_DATA is not set; it names the folder with processbench/ and tokenizers/qwen2.5/");
        Path data = Path.of(shared);
        Path processBench = data.resolve("processbench/gsm8k.json");
        Path tokenizerDir = data.resolve("tokenizers/qwen2.5");
        assumeTrue(Files.isRegularFile(processBench), processBench + " is missing");

        // Import: ProcessBench keeps its own labels (1 before the first error, 0 at it, ignored after).
        ImportStats importStats = new ImportStats();
        List<TraceRecord> records = TraceReaders.readAll(processBench, TraceFormat.PROCESSBENCH,
                ReaderOptions.defaults(LabelPolicy.sourceConvention()), importStats);
        assertEquals(400, records.size());

        // Tokenize with the Qwen2.5-Math-PRM layout; the plain Qwen2.5 tokenizer lacks <extra_0>.
        Path arrow = work.resolve("gsm8k.arrow");
        TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir).withSpecialTokens(List.of(SEPARATOR));
        PromptFormat format = PromptFormat.qwenMathPrm();
        StepSegmenter segmenter = new StepSegmenter(tokenizer, format, SEPARATOR, ModelCard.DEFAULT_MAX_TOKENS);
        ImportStats tokenizeStats = new ImportStats();
        try (StepDatasetWriter writer = StepDatasetWriter.create(arrow, new StepDatasetMetadata("processbench/gsm8k",
                tokenizer.sha256(), SEPARATOR, segmenter.separatorId(), format.name(),
                LabelPolicy.sourceConvention(), Map.of()), false)) {
            TokenizeStage stage = new TokenizeStage(segmenter, false);
            for (TraceRecord record : records) {
                tokenizeStats.recordRead();
                stage.write(record, writer, tokenizeStats);
            }
            writer.commit();
        }
        assertEquals(400, tokenizeStats.recordsKept(), "rejected: " + tokenizeStats.rejected());
        List<StepRow> rows;
        try (StepDatasetReader reader = StepDatasetReader.open(arrow)) {
            rows = reader.readAll();
        }
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(records.get(i).steps().size(), rows.get(i).scorePositions().length, rows.get(i).id());
        }

        // Train a head on a small random Qwen2 backbone for a few steps.
        ModelConfig config = ModelConfig.builder(Architecture.QWEN2)
                .hiddenSize(32).intermediateSize(64).numHiddenLayers(1).numAttentionHeads(4).numKeyValueHeads(2)
                .vocabSize(tokenizer.vocabSize()).tieWordEmbeddings(true)
                .set("max_position_embeddings", ModelCard.DEFAULT_MAX_TOKENS).build();
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.TWO_CLASS, SEPARATOR, format.name(), "hard", 0.5,
                null, ModelCard.DEFAULT_MAX_TOKENS);
        Path modelDir = work.resolve("prm");
        try (ProcessRewardModel prm = ProcessRewardModel.create(DecoderModel.randomInit(config, 3, Device.cpu()),
                tokenizer, card, 3)) {
            List<StepExample> examples = new ArrayList<>();
            for (StepRow row : rows) {
                examples.add(new StepExample(row.inputIds(), row.scorePositions(), row.stepLabels()));
            }
            TrainingConfig training = TrainingConfig.builder().scope(TrainableScope.HEAD).maxSteps(4).batch(4, 1)
                    .learningRate(1e-2, 1e-3, 1).seed(3).build();
            try (RewardTrainer<StepExample> trainer = new RewardTrainer<>(training, prm.trainingBackbone(),
                    HeadKind.TWO_CLASS, prm.head(), new StepObjective())) {
                TrainingSummary summary = trainer.train(examples);
                assertEquals(4, summary.steps());
                assertTrue(Double.isFinite(summary.lastLoss()), "last loss " + summary.lastLoss());
            }
            prm.save(modelDir);
        }

        // Serve it and score every record over HTTP.
        ServerConfig serverConfig = ServerConfig.builder().host("127.0.0.1").port(0).workerThreads(2).build();
        try (ScoringServer server = ScoringServer.start(serverConfig, List.of(new ModelSource("prm", modelDir)),
                Device.cpu());
                ScoringClient client = ScoringClient.builder(URI.create("http://127.0.0.1:" + server.port()))
                        .model("prm").build()) {
            int scoredSteps = 0;
            for (int start = 0; start < records.size(); start += REQUEST_ITEMS) {
                List<TraceRecord> chunk = records.subList(start, Math.min(records.size(), start + REQUEST_ITEMS));
                List<PrmResult> results = client.scorePrm(
                        chunk.stream().map(r -> new PrmItem(r.problem(), r.steps())).toList());
                assertEquals(chunk.size(), results.size());
                for (int i = 0; i < chunk.size(); i++) {
                    float[] scores = results.get(i).stepScores();
                    assertEquals(chunk.get(i).steps().size(), scores.length, chunk.get(i).id());
                    for (float score : scores) {
                        assertTrue(score >= 0, chunk.get(i).id() + " score " + score);
                        assertTrue(score <= 1, chunk.get(i).id() + " score " + score);
                    }
                    scoredSteps += scores.length;
                }
            }
            assertEquals(tokenizeStats.steps(), scoredSteps);
            assertEquals(records.stream().mapToInt(r -> r.steps().size()).sum(), scoredSteps);
        }
    }
}
