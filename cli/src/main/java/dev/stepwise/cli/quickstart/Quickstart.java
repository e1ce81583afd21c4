package dev.stepwise.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.demo.ArithmeticProblem;
import dev.stepwise.dataset.demo.DemoConfig;
import dev.stepwise.dataset.demo.DemoDataset;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.dataset.demo.DemoTraces;
import dev.stepwise.dataset.demo.NoisyPolicy;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.train.TrainingSummary;
import dev.stepwise.serve.search.EvaluationRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end demo: generated arithmetic traces, an Arrow dataset, a PRM and an ORM trained from
 * scratch on the CPU, their offline evaluation, and search through the scoring service with a
 * scripted policy. Writes everything under one report folder.
 *
 * <p>Report folder layout: {@code dataset/} (tokenizer, {@code train.arrow}, {@code test.arrow}),
 * {@code prm/} and {@code orm/} (model folders that {@code stepwise serve} loads), {@code metrics.json},
 * {@code results.md}, {@code training-loss.png}, {@code best-of-n.png},
 * {@code search-accuracy-vs-compute.png} and the per-step training metrics
 * ({@code prm-metrics.jsonl}, {@code orm-metrics.jsonl}).
 */
public final class Quickstart {
    private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Report folder and the stages to reuse.
     *
     * @param out the report folder, created when missing
     * @param dataset a dataset folder of an earlier run to reuse instead of generating one, or null
     * @param prm a trained PRM folder to reuse instead of training one, or null
     * @param orm a trained ORM folder to reuse instead of training one, or null
     */
    public record Options(Path out, Path dataset, Path prm, Path orm) {}

    private final QuickstartConfig config;
    private final Options options;
    private final NoisyPolicy policy = NoisyPolicy.DEFAULT;
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();

    public Quickstart(QuickstartConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    /** Runs every stage and writes the report; returns the report's text. */
    public String run() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(options.out());
        LOG.info("quickstart: report folder {}, config {}", options.out().toAbsolutePath(), config);

        Path datasetDir = options.dataset() != null ? options.dataset() : options.out().resolve("dataset");
        Set<String> trainTexts = timed("dataset", () -> prepareDataset(datasetDir));
        List<StepRow> trainRows = readRows(datasetDir.resolve("train.arrow"));
        List<StepRow> testRows = readRows(datasetDir.resolve("test.arrow"));
        Path tokenizerDir = datasetDir.resolve("tokenizer");

        Map<String, List<Double>> losses = new LinkedHashMap<>();
        Path prmDir = options.prm() != null ? options.prm() : options.out().resolve("prm");
        if (options.prm() == null) {
            TrainingSummary summary = timed("train PRM", () -> DemoModels.trainPrm(config, tokenizerDir, trainRows, prmDir));
            losses.put("PRM", summary.losses());
        }
        Path ormDir = options.orm() != null ? options.orm() : options.out().resolve("orm");
        if (options.orm() == null) {
            TrainingSummary summary = timed("train ORM", () -> DemoModels.trainOrm(config, tokenizerDir, trainRows, ormDir));
            losses.put("ORM", summary.losses());
        }

        List<List<TraceRecord>> bestOfNGroups = bestOfNGroups(trainTexts);
        Evaluation.PrmMetrics prmMetrics;
        double ormAuc;
        Map<String, List<Double>> bestOfN;
        try (ProcessRewardModel prm = DemoModels.loadPrm(prmDir); OutcomeRewardModel orm = DemoModels.loadOrm(ormDir)) {
            prmMetrics = timed("evaluate PRM", () -> Evaluation.evaluatePrm(prm, testRows));
            ormAuc = timed("evaluate ORM", () -> Evaluation.evaluateOrm(orm, testRows));
            bestOfN = timed("Best-of-N", () -> Evaluation.bestOfN(prm, orm, bestOfNGroups));
        }

        List<EvaluationRow> search = List.of();
        if (config.searchProblems() > 0) {
            List<ArithmeticProblem> problems = heldOutProblems("search-", config.searchProblems(), 3, trainTexts);
            search = timed("search", () -> SearchStage.run(prmDir, ormDir, problems, policy, config.seed(),
                    options.out().resolve("search-accuracy-vs-compute.png")));
        }

        if (!losses.isEmpty()) {
            Charts.trainingLoss(losses, 20, options.out().resolve("training-loss.png"));
        }
        Charts.bestOfN(bestOfN, options.out().resolve("best-of-n.png"));
        stageSeconds.put("total", (System.nanoTime() - start) / 1e9);

        QuickstartReport report = new QuickstartReport(config, trainRows.size(), testRows.size(), prmMetrics, ormAuc,
                bestOfN, search, losses, stageSeconds);
        String text = report.text();
        Files.writeString(options.out().resolve("results.md"), text);
        ObjectNode metrics = report.json(JSON);
        JSON.writeValue(options.out().resolve("metrics.json").toFile(), metrics);
        LOG.info("quickstart finished in {} s; report in {}", String.format("%.1f", stageSeconds.get("total")),
                options.out().toAbsolutePath());
        return text;
    }

    /**
     * Writes the tokenizer and the train and test Arrow files into {@code dir} unless they are there
     * from an earlier run given with {@code --dataset}. Returns the problem texts of the training set,
     * which held-out sets exclude.
     */
    private Set<String> prepareDataset(Path dir) throws IOException {
        if (options.dataset() != null) {
            for (String name : List.of("tokenizer/tokenizer.json", "train.arrow", "test.arrow")) {
                if (!Files.isRegularFile(dir.resolve(name))) {
                    throw new IOException("--dataset " + dir + " lacks " + name + "; expected the dataset folder of an"
                            + " earlier quickstart run (tokenizer/, train.arrow, test.arrow)");
                }
            }
            LOG.info("reusing dataset {}", dir);
            Set<String> texts = new HashSet<>();
            readRows(dir.resolve("train.arrow")).forEach(row -> texts.add(row.problem()));
            return texts;
        }
        Path tokenizerDir = DemoTokenizer.write(dir.resolve("tokenizer"));
        List<TraceRecord> train = DemoTraces.generate(new DemoConfig(config.trainProblems(), config.samplesPerProblem(),
                config.seed(), policy, "train-"));
        Set<String> trainTexts = new HashSet<>();
        train.forEach(record -> trainTexts.add(record.problem()));
        List<ArithmeticProblem> testProblems = heldOutProblems("test-", config.testProblems(), 1, trainTexts);
        List<TraceRecord> test = DemoTraces.sample(testProblems, config.samplesPerProblem(), policy, config.seed() + 1);
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            ImportStats trainStats = DemoDataset.write(train, tokenizer, dir.resolve("train.arrow"));
            ImportStats testStats = DemoDataset.write(test, tokenizer, dir.resolve("test.arrow"));
            LOG.info("dataset: {} training and {} test traces written to {}", trainStats.recordsKept(),
                    testStats.recordsKept(), dir);
        }
        return trainTexts;
    }

    /** Draws {@code count} problems with seed {@code seed + offset}, skipping any whose text is in the training set. */
    private List<ArithmeticProblem> heldOutProblems(String idPrefix, int count, int offset, Set<String> trainTexts) {
        DemoConfig draw = new DemoConfig(count * 2, 1, config.seed() + offset, policy, idPrefix);
        List<ArithmeticProblem> problems = new ArrayList<>(count);
        for (ArithmeticProblem problem : DemoTraces.problems(draw)) {
            if (problems.size() < count && !trainTexts.contains(problem.text())) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private List<List<TraceRecord>> bestOfNGroups(Set<String> trainTexts) {
        List<ArithmeticProblem> problems = heldOutProblems("bon-", config.bestOfNProblems(), 2, trainTexts);
        List<TraceRecord> records = DemoTraces.sample(problems, config.maxN(), policy, config.seed() + 2);
        List<List<TraceRecord>> groups = new ArrayList<>(problems.size());
        for (int i = 0; i < records.size(); i += config.maxN()) {
            groups.add(records.subList(i, i + config.maxN()));
        }
        return groups;
    }

    private static List<StepRow> readRows(Path file) throws IOException {
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            return reader.readAll();
        }
    }

    /** A stage body that may throw. */
    @FunctionalInterface
    private interface Stage<T> {
        T run() throws Exception;
    }

    private <T> T timed(String name, Stage<T> stage) throws Exception {
        LOG.info("stage {}: started", name);
        long start = System.nanoTime();
        T result = stage.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        stageSeconds.put(name, seconds);
        LOG.info("stage {}: done in {} s", name, String.format("%.1f", seconds));
        return result;
    }
}
