package dev.stepwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.dataset.arrow.StepDatasetStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code stepwise dataset stats}: label balance, steps per trace, tokens per step and drops by reason. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {
            "Prints the statistics of a step dataset.",
            "They are records read and kept, rejections by reason, label balance, steps per trace and tokens per "
                    + "step.",
            "Example: stepwise dataset stats --json prm.arrow"})
public final class DatasetStatsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Step dataset (Arrow IPC) to inspect.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode stats = StepDatasetStats.compute(file, mapper);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper.writeValueAsString(stats));
        } else {
            out.printf("%s%n", file);
            out.printf("  records read %d, kept %d, rows %d%n", stats.get("records_read").asLong(),
                    stats.get("records_kept").asLong(), stats.get("rows").asLong());
            out.printf("  rejected by reason: %s%n", stats.get("rejected"));
            out.printf("  flags: %s%n", stats.get("flags"));
            out.printf("  steps %d, score positions %d%n", stats.get("steps").asLong(),
                    stats.get("score_positions").asLong());
            out.printf("  label balance: %s%n", stats.get("label_balance"));
            out.printf("  steps per trace: %s%n", stats.get("steps_per_trace"));
            out.printf("  tokens per step (steps after the first): %s%n", stats.get("tokens_per_step"));
            out.printf("  tokens per row: %s%n", stats.get("tokens_per_row"));
        }
        out.flush();
        return 0;
    }
}
