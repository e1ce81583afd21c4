package dev.stepwise.cli;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.StepSplitter;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Set;

/** Label policy and reader options of {@code dataset import}. */
final class DatasetLabelOptions {

    @Option(names = "--neutral",
            description = "PRM800K rating 0 becomes: positive, negative or ignore. Required for prm800k; no default.")
    String neutral;

    @Option(names = "--after-first-error", defaultValue = "source",
            description = "Steps after the first wrong step: source (keep the source's labels; ignore where it has "
                    + "none), negative, ignore or drop (default: ${DEFAULT-VALUE}).")
    String afterFirstError;

    @Option(names = "--label-type", defaultValue = "hard",
            description = "hard (int8 0/1, soft values rounded at 0.5) or soft (float32) (default: ${DEFAULT-VALUE}).")
    String labelType;

    @Option(names = "--polarity", defaultValue = "one-is-correct",
            description = "Meaning of a source label 1: one-is-correct or one-is-error (default: ${DEFAULT-VALUE}).")
    String polarity;

    @Option(names = "--no-alternatives",
            description = "PRM800K: emit only the main path, not one row per rated completion that was not chosen.")
    boolean noAlternatives;

    @Option(names = "--finish-reasons", split = ",", defaultValue = "solution,found_error",
            description = "PRM800K finish_reason values to keep (default: ${DEFAULT-VALUE}).")
    Set<String> finishReasons;

    @Option(names = "--step-tag", defaultValue = "ки",
            description = "Math-Shepherd step tag in 'input' (default: ${DEFAULT-VALUE}).")
    String stepTag;

    @Option(names = "--positive-label", defaultValue = "+",
            description = "Math-Shepherd mark of a correct step in 'label' (default: ${DEFAULT-VALUE}).")
    String positiveLabel;

    @Option(names = "--negative-label", defaultValue = "-",
            description = "Math-Shepherd mark of a wrong step in 'label' (default: ${DEFAULT-VALUE}).")
    String negativeLabel;

    @Option(names = "--splitter", defaultValue = "blank-line",
            description = "raw format: blank-line, newline, step-markers or regex:PATTERN (default: ${DEFAULT-VALUE}).")
    String splitter;

    @Option(names = "--source", description = "Source name stored in each row (default: the format name).")
    String source;

    LabelPolicy policy() {
        LabelPolicy policy = new LabelPolicy(
                neutral == null ? null : LabelPolicy.NeutralRating.valueOf(upper("--neutral", neutral,
                        LabelPolicy.NeutralRating.class)),
                LabelPolicy.AfterFirstError.valueOf(upper("--after-first-error", afterFirstError,
                        LabelPolicy.AfterFirstError.class)),
                LabelPolicy.LabelType.valueOf(upper("--label-type", labelType, LabelPolicy.LabelType.class)),
                LabelPolicy.Polarity.valueOf(upper("--polarity", polarity, LabelPolicy.Polarity.class)));
        return policy;
    }

    ReaderOptions readerOptions() {
        return ReaderOptions.defaults(policy())
                .withSource(source)
                .withPrm800kAlternatives(!noAlternatives)
                .withPrm800kFinishReasons(finishReasons)
                .withMathShepherdLabels(stepTag, positiveLabel, negativeLabel)
                .withSplitter(StepSplitter.named(splitter));
    }

    private static <E extends Enum<E>> String upper(String option, String value, Class<E> type) {
        String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return name;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            expected.append(expected.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("invalid " + option + " '" + value + "'; expected one of " + expected);
    }
}
