package dev.stepwise.cli;

import dev.stepwise.cli.quickstart.Quickstart;
import dev.stepwise.cli.quickstart.QuickstartConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stepwise quickstart}: the whole pipeline on generated data, on the CPU, in a few minutes. */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Generates arithmetic word-problem traces from a noisy policy, writes an Arrow step dataset, trains a"
                    + " small PRM and ORM from scratch, evaluates them (step AUC, ProcessBench-style F1, Best-of-N),"
                    + " serves them on a free local port and runs Best-of-N and beam search through the service.",
            "Writes metrics.json, results.md and PNG charts to --out and prints the results table."
        })
final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/quickstart",
            description = "Report folder; created when missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dataset", description = "Reuse the dataset folder of an earlier run (tokenizer/, train.arrow,"
            + " test.arrow) instead of generating one.")
    Path dataset;

    @Option(names = "--prm", description = "Reuse a trained PRM folder instead of training one.")
    Path prm;

    @Option(names = "--orm", description = "Reuse a trained ORM folder instead of training one.")
    Path orm;

    @Option(names = "--prm-steps", description = "Optimizer steps of PRM training (default: ${DEFAULT-VALUE}).",
            defaultValue = "600")
    int prmSteps;

    @Option(names = "--orm-steps", description = "Optimizer steps of ORM training (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int ormSteps;

    @Override
    public Integer call() throws Exception {
        QuickstartConfig config = QuickstartConfig.defaults().withSteps(prmSteps, ormSteps);
        String report = new Quickstart(config, new Quickstart.Options(out, dataset, prm, orm)).run();
        System.out.println(report);
        return 0;
    }
}
