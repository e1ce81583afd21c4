package dev.stepwise.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.dataset.StepSegmenter.Segment;
import dev.stepwise.dataset.arrow.PairDatasetReader;
import dev.stepwise.dataset.arrow.PairRow;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.grading.Grader;
import dev.stepwise.orm.BestOfN;
import dev.stepwise.orm.OutcomeMetrics;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.eval.PrmEvaluation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepwise eval prm|orm}: measures a trained reward model on labelled data and on Best-of-N candidates. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Evaluates a trained PRM or ORM.",
            "prm: step ROC-AUC, step accuracy and ProcessBench F1 (first step below the threshold is the predicted",
            "first error) on a step dataset. orm: outcome accuracy and ROC-AUC on a step dataset's outcome labels,",
            "pairwise accuracy on a pair dataset. --best-of-n: selection accuracy on a JSONL file of candidates.",
            "Example: stepwise eval prm --model prm-out --data splits/test.arrow"})
public final class EvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "prm or orm.")
    String task;

    @Option(names = "--model", required = true, description = "Model folder written by 'stepwise train'.")
    Path model;

    @Option(names = "--data", description = "Step dataset (.arrow) with step or outcome labels.")
    Path data;

    @Option(names = "--pairs", description = "Pair dataset (.arrow) for ORM pairwise accuracy.")
    Path pairs;

    @Option(names = "--threshold", description = "Decision threshold (default: the one in stepwise.json).")
    Double threshold;

    @Option(names = "--best-of-n", description = "JSONL file, one problem per line: {\"problem\", \"reference\", \"candidates\": [{\"steps\": [...]}]}.")
    Path bestOfN;

    @Option(names = "--orm", description = "With 'eval prm --best-of-n': an ORM folder for the ORM selector.")
    Path ormModel;

    @Option(names = "--batch-size", defaultValue = "8", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "Device to run the models on: cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
    String deviceName;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = DeviceOption.parse(deviceName);
        switch (task.toLowerCase(Locale.ROOT)) {
            case "prm":
                try (ProcessRewardModel prm = ProcessRewardModel.load(model, device)) {
                    if (data != null) {
                        evaluatePrm(prm, out);
                    }
                    if (bestOfN != null) {
                        try (OutcomeRewardModel orm = ormModel == null ? null
                                : OutcomeRewardModel.load(ormModel, device)) {
                            evaluateBestOfN(prm, orm, out);
                        }
                    }
                }
                break;
            case "orm":
                try (OutcomeRewardModel orm = OutcomeRewardModel.load(model, device)) {
                    evaluateOrm(orm, out);
                    if (bestOfN != null) {
                        evaluateBestOfN(null, orm, out);
                    }
                }
                break;
            default:
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "task must be prm or orm, found '" + task + "'");
        }
        out.flush();
        return 0;
    }

    private void evaluatePrm(ProcessRewardModel prm, PrintWriter out) throws IOException {
        List<StepRow> rows = readSteps(data);
        double decision = threshold != null ? threshold : prm.card().threshold();
        PrmEvaluation.Report report = PrmEvaluation.report(rows, PrmEvaluation.score(prm, rows, batchSize), decision);
        out.printf(Locale.ROOT, "rows %d, labelled steps %d, step ROC-AUC %.4f, step accuracy %.4f%n",
                report.samples(), report.labelledSteps(), report.stepRocAuc(), report.stepAccuracy());
        out.printf(Locale.ROOT, "ProcessBench at threshold %.4f: erroneous %.4f, correct %.4f, F1 %.4f%n", decision,
                report.processBench().erroneousAccuracy(), report.processBench().correctAccuracy(),
                report.processBench().f1());
    }

    private void evaluateOrm(OutcomeRewardModel orm, PrintWriter out) throws IOException {
        if (data != null) {
            List<Segment> segments = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            for (StepRow row : readSteps(data)) {
                if (row.outcomeLabel() != null) {
                    segments.add(new Segment(row.inputIds(), new int[] {row.inputIds().length - 1}, 1, 1, false, true));
                    labels.add(row.outcomeLabel() >= 0.5f);
                }
            }
            float[] scores = scoreInBatches(orm, segments);
            boolean[] correct = new boolean[labels.size()];
            for (int i = 0; i < correct.length; i++) {
                correct[i] = labels.get(i);
            }
            double decision = threshold != null ? threshold : orm.card().threshold();
            out.printf(Locale.ROOT, "answers %d, accuracy %.4f at threshold %.4f, ROC-AUC %.4f%n", scores.length,
                    OutcomeMetrics.accuracy(scores, correct, decision), decision, OutcomeMetrics.rocAuc(scores, correct));
        }
        if (pairs != null) {
            List<Segment> chosen = new ArrayList<>();
            List<Segment> rejected = new ArrayList<>();
            try (PairDatasetReader reader = PairDatasetReader.open(pairs)) {
                for (PairRow row : reader.readAll()) {
                    chosen.add(lastToken(row.chosenInputIds()));
                    rejected.add(lastToken(row.rejectedInputIds()));
                }
            }
            out.printf(Locale.ROOT, "pairs %d, pairwise accuracy %.4f%n", chosen.size(),
                    OutcomeMetrics.pairwiseAccuracy(scoreInBatches(orm, chosen), scoreInBatches(orm, rejected)));
        }
    }

    private void evaluateBestOfN(ProcessRewardModel prm, OutcomeRewardModel orm, PrintWriter out) throws IOException {
        Grader grader = new Grader();
        List<List<BestOfN.Candidate>> problems = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(bestOfN, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    problems.add(candidates(JSON.readTree(line), lineNumber, grader, prm, orm));
                }
            }
        }
        List<BestOfN.Selector> selectors = new ArrayList<>(List.of(BestOfN.Selector.MAJORITY, BestOfN.Selector.RANDOM));
        if (prm != null) {
            selectors.addAll(0, List.of(BestOfN.Selector.PRM_MIN, BestOfN.Selector.PRM_LAST,
                    BestOfN.Selector.PRM_PRODUCT, BestOfN.Selector.PRM_WEIGHTED_MAJORITY));
        }
        if (orm != null) {
            selectors.add(0, BestOfN.Selector.ORM);
        }
        Map<BestOfN.Selector, Double> accuracy = BestOfN.accuracy(problems, selectors);
        out.printf(Locale.ROOT, "Best-of-N over %d problems:%n", problems.size());
        accuracy.forEach((selector, value) -> out.printf(Locale.ROOT, "  %-22s %.4f%n", selector, value));
    }

    private List<BestOfN.Candidate> candidates(JsonNode problem, int lineNumber, Grader grader, ProcessRewardModel prm,
            OutcomeRewardModel orm) {
        String text = requiredText(problem, "problem", lineNumber);
        String reference = requiredText(problem, "reference", lineNumber);
        List<BestOfN.Candidate> result = new ArrayList<>();
        for (JsonNode candidate : problem.path("candidates")) {
            List<String> steps = new ArrayList<>();
            candidate.path("steps").forEach(step -> steps.add(step.asText()));
            if (steps.isEmpty()) {
                throw new IllegalArgumentException(bestOfN + " line " + lineNumber + ": a candidate has no 'steps'");
            }
            String response = String.join("\n", steps);
            float[] stepScores = prm == null ? null
                    : prm.scoreSegments(List.of(prm.segmenter().segment(text, steps)))[0];
            float outcome = orm == null ? Float.NaN
                    : orm.scoreSegments(List.of(orm.segmenter().segmentAnswer(text, response)))[0];
            result.add(BestOfN.Candidate.graded(grader.grade(response, reference), stepScores, outcome));
        }
        return result;
    }

    private float[] scoreInBatches(OutcomeRewardModel orm, List<Segment> segments) {
        float[] scores = new float[segments.size()];
        for (int from = 0; from < segments.size(); from += batchSize) {
            float[] batch = orm.scoreSegments(segments.subList(from, Math.min(segments.size(), from + batchSize)));
            System.arraycopy(batch, 0, scores, from, batch.length);
        }
        return scores;
    }

    private static Segment lastToken(long[] ids) {
        return new Segment(ids, new int[] {ids.length - 1}, 1, 1, false, true);
    }

    private String requiredText(JsonNode node, String key, int lineNumber) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(bestOfN + " line " + lineNumber + ": missing text field '" + key + "'");
        }
        return value.asText();
    }

    private static List<StepRow> readSteps(Path file) throws IOException {
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            return reader.readAll();
        }
    }
}
