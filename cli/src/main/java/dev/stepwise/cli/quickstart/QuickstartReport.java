package dev.stepwise.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.prm.eval.ProcessBench;
import dev.stepwise.serve.search.EvaluationRow;
import dev.stepwise.serve.search.SearchEvaluation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The numbers of one quickstart run, as a Markdown report and as {@code metrics.json}. */
record QuickstartReport(
        QuickstartConfig config,
        int trainTraces,
        int testTraces,
        Evaluation.PrmMetrics prm,
        double ormAuc,
        Map<String, List<Double>> bestOfN,
        List<EvaluationRow> search,
        Map<String, List<Double>> losses,
        Map<String, Double> stageSeconds) {

    String text() {
        StringBuilder text = new StringBuilder("# stepwise quickstart results\n\n");
        text.append(String.format(Locale.ROOT, "Data: %d training traces, %d held-out test traces (noisy arithmetic"
                + " policy). Models: Llama-style decoder, hidden %d, %d layers, trained from random weights for %d (PRM)"
                + " and %d (ORM) steps of %d traces.%n%n", trainTraces, testTraces, config.model().hiddenSize(),
                config.model().layers(), config.prmSteps(), config.ormSteps(), config.batchSize()));

        text.append("| metric (held-out test traces) | value |\n|---|---:|\n");
        row(text, "PRM step ROC-AUC (" + prm.labelledSteps() + " steps)", prm.stepAuc());
        ProcessBench.Result atThreshold = prm.processBench();
        row(text, String.format(Locale.ROOT, "PRM ProcessBench-style F1 at threshold %.2f", atThreshold.threshold()),
                atThreshold.f1());
        row(text, "  accuracy on traces with an error (first error found)", atThreshold.erroneousAccuracy());
        row(text, "  accuracy on correct traces", atThreshold.correctAccuracy());
        ProcessBench.Result best = prm.processBenchBest();
        row(text, String.format(Locale.ROOT, "PRM ProcessBench-style F1 at the best threshold %.3f (tuned on these"
                + " traces)", best.threshold()), best.f1());
        row(text, "ORM outcome ROC-AUC", ormAuc);

        List<Double> ns = bestOfN.get("N");
        text.append(String.format(Locale.ROOT, "%nBest-of-N accuracy on %d held-out problems (N candidates sampled"
                + " from the policy; PASS_AT_N: some candidate is correct)%n%n| selector |", config.bestOfNProblems()));
        ns.forEach(n -> text.append(String.format(Locale.ROOT, " N=%d |", n.intValue())));
        text.append("\n|---|").append("---:|".repeat(ns.size())).append('\n');
        bestOfN.forEach((name, accuracies) -> {
            if (!name.equals("N")) {
                text.append("| ").append(name).append(" |");
                accuracies.forEach(a -> text.append(String.format(Locale.ROOT, " %.3f |", a)));
                text.append('\n');
            }
        });

        if (!search.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%nSearch through the scoring service on %d held-out problems"
                    + " (scripted policy over HTTP)%n%n", search.get(0).problems()));
            text.append(SearchEvaluation.table(search));
        }

        text.append("\nTime (s): ");
        StringBuilder times = new StringBuilder();
        stageSeconds.forEach((stage, seconds) -> times.append(times.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.1f", stage, seconds)));
        return text.append(times).append('\n').toString();
    }

    ObjectNode json(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.set("config", mapper.valueToTree(config));
        root.put("train_traces", trainTraces);
        root.put("test_traces", testTraces);
        ObjectNode prmNode = root.putObject("prm");
        prmNode.put("step_auc", prm.stepAuc());
        prmNode.put("labelled_steps", prm.labelledSteps());
        prmNode.set("processbench", mapper.valueToTree(prm.processBench()));
        prmNode.set("processbench_best_threshold", mapper.valueToTree(prm.processBenchBest()));
        root.putObject("orm").put("outcome_auc", ormAuc);
        root.set("best_of_n", mapper.valueToTree(bestOfN));
        ArrayNode searchNode = root.putArray("search");
        search.forEach(row -> searchNode.add(mapper.valueToTree(row)));
        ObjectNode lossNode = root.putObject("final_loss");
        losses.forEach((name, values) -> lossNode.put(name, values.isEmpty() ? Double.NaN : values.get(values.size() - 1)));
        root.set("seconds", mapper.valueToTree(stageSeconds));
        return root;
    }

    private static void row(StringBuilder text, String name, double value) {
        text.append("| ").append(name).append(" | ").append(String.format(Locale.ROOT, "%.3f", value)).append(" |\n");
    }
}
