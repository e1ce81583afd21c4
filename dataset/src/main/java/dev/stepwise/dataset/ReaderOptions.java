package dev.stepwise.dataset;

import java.util.Objects;
import java.util.Set;

/**
 * Settings of the trace readers.
 *
 * @param labelPolicy           how source annotations become labels
 * @param source                name written into each record's {@code source}, or null to use the
 *                              format name and file name
 * @param prm800kAlternatives   PRM800K: also emit one record per rated completion that was not
 *                              chosen, made of the chosen steps before it plus that completion
 * @param prm800kFinishReasons  PRM800K: {@code finish_reason} values to keep; other rows are
 *                              rejected with reason {@code finish_reason_<value>}
 * @param stepTag               Math-Shepherd: the step tag in {@code input}
 * @param positiveLabel         Math-Shepherd: the text that marks a correct step in {@code label}
 * @param negativeLabel         Math-Shepherd: the text that marks a wrong step in {@code label}
 * @param splitter              RAW: how a solution text is split into steps
 */
public record ReaderOptions(LabelPolicy labelPolicy, String source, boolean prm800kAlternatives,
                            Set<String> prm800kFinishReasons, String stepTag, String positiveLabel,
                            String negativeLabel, StepSplitter splitter) {

    /** PRM800K finish reasons kept by default: finished solutions and traces that end at a found error. */
    public static final Set<String> DEFAULT_PRM800K_FINISH_REASONS = Set.of("solution", "found_error");

    public ReaderOptions {
        Objects.requireNonNull(labelPolicy, "labelPolicy");
        prm800kFinishReasons = Set.copyOf(prm800kFinishReasons);
        Objects.requireNonNull(stepTag, "stepTag");
        Objects.requireNonNull(positiveLabel, "positiveLabel");
        Objects.requireNonNull(negativeLabel, "negativeLabel");
        Objects.requireNonNull(splitter, "splitter");
        if (stepTag.isEmpty()) {
            throw new IllegalArgumentException("Math-Shepherd step tag must not be empty");
        }
        if (positiveLabel.isEmpty() || negativeLabel.isEmpty()) {
            throw new IllegalArgumentException("Math-Shepherd positive and negative labels must not be empty; found '"
                    + positiveLabel + "' and '" + negativeLabel + "'");
        }
        if (positiveLabel.equals(negativeLabel)) {
            throw new IllegalArgumentException("Math-Shepherd positive and negative labels must differ; both are '"
                    + positiveLabel + "'");
        }
    }

    /** Source-convention labels, PRM800K alternatives on, Math-Shepherd tag {@code ки} with {@code +}/{@code -}, blank-line splitting. */
    public static ReaderOptions defaults(LabelPolicy policy) {
        return new ReaderOptions(policy, null, true, DEFAULT_PRM800K_FINISH_REASONS, "ки", "+", "-",
                StepSplitter.blankLine());
    }

    public ReaderOptions withSource(String newSource) {
        return new ReaderOptions(labelPolicy, newSource, prm800kAlternatives, prm800kFinishReasons, stepTag,
                positiveLabel, negativeLabel, splitter);
    }

    public ReaderOptions withPrm800kAlternatives(boolean alternatives) {
        return new ReaderOptions(labelPolicy, source, alternatives, prm800kFinishReasons, stepTag,
                positiveLabel, negativeLabel, splitter);
    }

    public ReaderOptions withMathShepherdLabels(String tag, String positive, String negative) {
        return new ReaderOptions(labelPolicy, source, prm800kAlternatives, prm800kFinishReasons, tag,
                positive, negative, splitter);
    }

    public ReaderOptions withSplitter(StepSplitter newSplitter) {
        return new ReaderOptions(labelPolicy, source, prm800kAlternatives, prm800kFinishReasons, stepTag,
                positiveLabel, negativeLabel, newSplitter);
    }

    public ReaderOptions withPrm800kFinishReasons(Set<String> reasons) {
        return new ReaderOptions(labelPolicy, source, prm800kAlternatives, reasons, stepTag,
                positiveLabel, negativeLabel, splitter);
    }
}
