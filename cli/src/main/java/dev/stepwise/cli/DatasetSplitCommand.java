package dev.stepwise.cli;

import dev.stepwise.dataset.SplitAssigner;
import dev.stepwise.dataset.arrow.StepDatasetSplits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code stepwise dataset split}: deterministic train/validation/test split by a hash of the problem text. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {
            "Splits a step dataset into train, validation and test files.",
            "Writes train.arrow, validation.arrow and test.arrow by a SHA-256 hash of each problem's text, so "
                    + "every trace of one problem lands in the same split on every run.",
            "Example: stepwise dataset split prm.arrow --output-dir splits/ --train 0.8 --validation 0.1"})
public final class DatasetSplitCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Step dataset (Arrow IPC) to split.")
    Path input;

    @Option(names = {"--out", "--output", "--output-dir"}, required = true, description = "Folder for train.arrow, validation.arrow and test.arrow.")
    Path outputDir;

    @Option(names = "--train", defaultValue = "0.8", description = "Share of problems in train (default: ${DEFAULT-VALUE}).")
    double train;

    @Option(names = "--validation", defaultValue = "0.1",
            description = "Share of problems in validation; test gets the rest (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--salt", defaultValue = "", description = "Text mixed into the hash to draw another split (default: none).")
    String salt;

    @Override
    public Integer call() throws IOException {
        Map<SplitAssigner.Split, Long> counts = StepDatasetSplits.write(input, outputDir,
                new SplitAssigner(train, validation, salt));
        counts.forEach((split, rows) -> spec.commandLine().getOut().printf("%s: %d rows -> %s%n", split.fileName(), rows,
                outputDir.resolve(split.fileName() + ".arrow")));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
