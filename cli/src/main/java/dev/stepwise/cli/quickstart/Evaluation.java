package dev.stepwise.cli.quickstart;

import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.TraceRecord;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.orm.BestOfN;
import dev.stepwise.orm.OutcomeMetrics;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.prm.eval.BinaryMetrics;
import dev.stepwise.prm.eval.ProcessBench;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Offline evaluation of the demo PRM and ORM: step AUC, ProcessBench-style F1, ORM AUC, Best-of-N. */
final class Evaluation {
    /** Rows per scoring forward pass. */
    private static final int SCORING_BATCH = 32;

    /** The Best-of-N selectors of the report, in table order. */
    static final List<BestOfN.Selector> SELECTORS = List.of(BestOfN.Selector.PRM_MIN, BestOfN.Selector.PRM_PRODUCT,
            BestOfN.Selector.PRM_LAST, BestOfN.Selector.PRM_WEIGHTED_MAJORITY, BestOfN.Selector.ORM,
            BestOfN.Selector.MAJORITY, BestOfN.Selector.RANDOM);

    private Evaluation() {}

    /**
     * PRM metrics on labelled rows.
     *
     * @param stepAuc ROC-AUC of stepScores against step labels, over every labelled step
     * @param processBench first-error prediction at the model's threshold
     * @param processBenchBest first-error prediction at the F1-maximising threshold, tuned on the same
     *     rows, so an upper bound
     * @param labelledSteps steps that entered the AUC
     */
    record PrmMetrics(double stepAuc, ProcessBench.Result processBench, ProcessBench.Result processBenchBest,
            int labelledSteps) {}

    static PrmMetrics evaluatePrm(ProcessRewardModel prm, List<StepRow> rows) {
        float[][] scores = scorePrm(prm, rows.stream().map(r -> new Trace(r.problem(), r.steps())).toList());
        List<Float> flatScores = new ArrayList<>();
        List<Boolean> flatLabels = new ArrayList<>();
        List<ProcessBench.Sample> samples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            float[] labels = rows.get(i).stepLabels();
            for (int step = 0; step < labels.length; step++) {
                if (!StepLabels.isIgnored(labels[step])) {
                    flatScores.add(scores[i][step]);
                    flatLabels.add(labels[step] >= 0.5f);
                }
            }
            samples.add(new ProcessBench.Sample(StepLabels.firstErrorIndex(labels), scores[i]));
        }
        float[] scoreArray = new float[flatScores.size()];
        boolean[] labelArray = new boolean[flatLabels.size()];
        for (int i = 0; i < scoreArray.length; i++) {
            scoreArray[i] = flatScores.get(i);
            labelArray[i] = flatLabels.get(i);
        }
        return new PrmMetrics(BinaryMetrics.rocAuc(scoreArray, labelArray),
                ProcessBench.evaluate(samples, prm.card().threshold()), ProcessBench.sweepThreshold(samples),
                scoreArray.length);
    }

    /** ROC-AUC of ORM outcomeScores against outcome labels, over rows that have one. */
    static double evaluateOrm(OutcomeRewardModel orm, List<StepRow> rows) {
        List<StepRow> labelled = rows.stream().filter(r -> r.outcomeLabel() != null).toList();
        float[] scores = scoreOrm(orm, labelled.stream().map(r -> new Trace(r.problem(), r.steps())).toList());
        boolean[] correct = new boolean[labelled.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = labelled.get(i).outcomeLabel() >= 0.5f;
        }
        return OutcomeMetrics.rocAuc(scores, correct);
    }

    /**
     * Best-of-N accuracy of each selector in {@link #SELECTORS} for N = 1, 2, 4, ... up to the group
     * size, using the first N candidates of every problem, plus {@code PASS_AT_N}: the share of
     * problems with at least one correct candidate among the N, the ceiling of every selector.
     *
     * @param groups candidates per problem, each group the same size, in sampling order
     * @return per selector name, accuracy per N; the key {@code N} contains the N values
     */
    static Map<String, List<Double>> bestOfN(ProcessRewardModel prm, OutcomeRewardModel orm,
            List<List<TraceRecord>> groups) {
        List<TraceRecord> all = groups.stream().flatMap(List::stream).toList();
        List<Trace> traces = all.stream().map(r -> new Trace(r.problem(), r.steps())).toList();
        float[][] stepScores = scorePrm(prm, traces);
        float[] outcomeScores = scoreOrm(orm, traces);

        List<List<BestOfN.Candidate>> candidates = new ArrayList<>();
        int index = 0;
        for (List<TraceRecord> group : groups) {
            List<BestOfN.Candidate> problem = new ArrayList<>(group.size());
            for (TraceRecord record : group) {
                problem.add(new BestOfN.Candidate(record.finalAnswer(), record.outcomeLabel() != null
                        && record.outcomeLabel() >= 0.5f, stepScores[index], outcomeScores[index]));
                index++;
            }
            candidates.add(problem);
        }

        Map<String, List<Double>> table = new LinkedHashMap<>();
        List<Double> ns = new ArrayList<>();
        int groupSize = groups.get(0).size();
        for (int n = 1; n <= groupSize; n *= 2) {
            ns.add((double) n);
            int size = n;
            List<List<BestOfN.Candidate>> firstN = candidates.stream().map(c -> c.subList(0, size)).toList();
            BestOfN.accuracy(firstN, SELECTORS).forEach(
                    (selector, accuracy) -> table.computeIfAbsent(selector.name(), k -> new ArrayList<>()).add(accuracy));
            double anyCorrect = firstN.stream().filter(c -> c.stream().anyMatch(BestOfN.Candidate::correct)).count();
            table.computeIfAbsent("PASS_AT_N", k -> new ArrayList<>()).add(anyCorrect / firstN.size());
        }
        Map<String, List<Double>> ordered = new LinkedHashMap<>();
        ordered.put("N", ns);
        ordered.putAll(table);
        return ordered;
    }

    /** Problem and steps of one solution to score. */
    record Trace(String problem, List<String> steps) {}

    static float[][] scorePrm(ProcessRewardModel prm, List<Trace> traces) {
        StepSegmenter segmenter = prm.segmenter();
        float[][] scores = new float[traces.size()][];
        for (int start = 0; start < traces.size(); start += SCORING_BATCH) {
            int end = Math.min(traces.size(), start + SCORING_BATCH);
            List<StepSegmenter.Segment> segments = new ArrayList<>(end - start);
            for (Trace trace : traces.subList(start, end)) {
                segments.add(segmenter.segment(trace.problem(), trace.steps()));
            }
            float[][] batch = prm.scoreSegments(segments);
            System.arraycopy(batch, 0, scores, start, batch.length);
        }
        return scores;
    }

    static float[] scoreOrm(OutcomeRewardModel orm, List<Trace> traces) {
        StepSegmenter segmenter = orm.segmenter();
        float[] scores = new float[traces.size()];
        for (int start = 0; start < traces.size(); start += SCORING_BATCH) {
            int end = Math.min(traces.size(), start + SCORING_BATCH);
            List<StepSegmenter.Segment> segments = new ArrayList<>(end - start);
            for (Trace trace : traces.subList(start, end)) {
                segments.add(segmenter.segmentAnswer(trace.problem(), String.join(DemoModels.ORM_STEP_JOINER, trace.steps())));
            }
            float[] batch = orm.scoreSegments(segments);
            System.arraycopy(batch, 0, scores, start, batch.length);
        }
        return scores;
    }
}
