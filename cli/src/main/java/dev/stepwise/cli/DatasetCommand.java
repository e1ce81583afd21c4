package dev.stepwise.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stepwise dataset}: groups the commands that build, inspect and split step datasets. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = {
            "Builds step-labelled Arrow datasets from reasoning traces and inspects them.",
            "Example:",
            "  stepwise dataset import --format processbench --input gsm8k.json \\",
            "    --tokenizer qwen2.5/ --prompt-format qwen2.5-math-prm --register-separator \\",
            "    --output gsm8k.arrow"},
        subcommands = {
            DatasetImportCommand.class,
            DatasetTokenizeCommand.class,
            DatasetStatsCommand.class,
            DatasetSplitCommand.class,
            AutolabelCommand.class,
        })
public final class DatasetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
