package dev.stepwise.dataset.grading.internal;

import dev.stepwise.dataset.grading.GradeContext;
import dev.stepwise.dataset.grading.GradeResult;
import dev.stepwise.dataset.grading.GraderOptions;
import dev.stepwise.dataset.grading.Verdict;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The grading pipeline for one item: extract both answers, normalise both with the same
 * normaliser, check units, then compare. Runs on whatever thread calls it; {@code Grader} supplies
 * a worker thread and the deadline. Stateless and thread-safe.
 */
public final class GradingEngine {

    private final GraderOptions options;
    private final Extractor extractor;

    public GradingEngine(GraderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.extractor = new Extractor(options.lastNumberFallback());
    }

    /**
     * Grades one item, recording each finished stage in {@code progress} so that a caller that
     * abandons the work at the deadline can still report the extracted answers.
     *
     * @throws GradingStoppedException when the deadline passed or a size limit was reached
     */
    public GradeResult grade(String response, String reference, GradeContext context, Deadline deadline, Progress progress) {
        Optional<String> extracted = extractor.extract(response, deadline);
        progress.extracted = extracted.orElse(null);
        Optional<String> referenceExtracted = extractor.extract(reference, deadline);
        progress.referenceExtracted = referenceExtracted.orElse(null);
        if (extracted.isEmpty() || referenceExtracted.isEmpty()) {
            return progress.result(Verdict.UNGRADABLE);
        }

        NormalForm normal = Normalizer.normalize(extracted.get(), options.maxAnswerChars(), deadline);
        progress.normalized = normal.display();
        NormalForm referenceNormal = Normalizer.normalize(referenceExtracted.get(), options.maxAnswerChars(), deadline);
        progress.referenceNormalized = referenceNormal.display();

        if (!unitsCompatible(normal.unit(), referenceNormal.unit(), context)) {
            return progress.result(Verdict.INCORRECT);
        }
        if (Equivalence.compact(normal.text()).equals(Equivalence.compact(referenceNormal.text()))) {
            return progress.result(Verdict.CORRECT);
        }
        return progress.result(compare(normal, referenceNormal, context, deadline) ? Verdict.CORRECT : Verdict.INCORRECT);
    }

    private boolean compare(NormalForm a, NormalForm b, GradeContext context, Deadline deadline) {
        Answer answerA = AnswerParser.parse(a.text(), deadline, options.maxNestingDepth());
        Answer answerB = AnswerParser.parse(b.text(), deadline, options.maxNestingDepth());
        Equivalence equivalence = new Equivalence(
                options.relativeTolerance(), context.listsUnordered(), options.maxNumberBits(), deadline);
        if (equivalence.equivalent(answerA, answerB)) {
            return true;
        }
        if (!options.acceptFractionForPercent()) {
            return false;
        }
        // With the option on, a side written as a percentage may also stand for its fraction: 28% = 0.28.
        return (a.percent() && equivalence.equivalent(asFraction(answerA), answerB))
                || (b.percent() && equivalence.equivalent(answerA, asFraction(answerB)));
    }

    private static Answer asFraction(Answer answer) {
        if (answer instanceof Answer.Scalar scalar) {
            return new Answer.Scalar(new Node.Binary('/', scalar.expression(), new Node.Number(Rational.HUNDRED)));
        }
        return answer;
    }

    private boolean unitsCompatible(String unit, String referenceUnit, GradeContext context) {
        String requested = context.unit() == null
                ? null
                : Normalizer.canonicalUnit(Arrays.asList(context.unit().strip().split("\\s+")));
        String a = unit != null ? unit : requested;
        String b = referenceUnit != null ? referenceUnit : requested;
        return switch (options.units()) {
            case IGNORE -> true;
            case LENIENT -> a == null || b == null || a.equals(b);
            case STRICT -> Objects.equals(a, b);
        };
    }

    /** Stages finished so far for one item; written by the worker, read by the waiting caller. */
    public static final class Progress {
        private volatile String extracted;
        private volatile String referenceExtracted;
        private volatile String normalized;
        private volatile String referenceNormalized;

        /** Creates a result with {@code verdict} and the output of every finished stage. */
        public GradeResult result(Verdict verdict) {
            return new GradeResult(verdict, extracted, referenceExtracted, normalized, referenceNormalized);
        }
    }
}
