package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The alternative option names that make commands agree: --out/--output, --separator/--step-separator, --device. */
class OptionAliasCommandTest {

    /** Parses {@code args} with the entry point and returns the parse result of the last subcommand. */
    private static CommandLine.ParseResult parseLeaf(String... args) {
        CommandLine.ParseResult result = StepwiseCommand.newCommandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result;
    }

    private static String[] concat(String[] base, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(base));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    @Test
    void outputOptionAcceptsEveryName() {
        String[][] commands = {
            {"search", "--strategy", "greedy", "--problems", "p.jsonl", "--generator-url", "http://127.0.0.1:9/v1",
                "--scorer-url", "http://127.0.0.1:9"},
            {"dataset", "autolabel", "--input", "steps.arrow", "--generator-url", "http://127.0.0.1:9/v1",
                "--model", "m"},
            {"train", "prm", "--data", "train.arrow", "--model", "backbone"},
            {"dataset", "import", "--format", "generic", "--input", "a.jsonl", "--tokenizer", "tok"},
            {"dataset", "tokenize", "--input", "a.arrow", "--tokenizer", "tok"},
            {"grade", "--input", "a.jsonl"},
            {"dataset", "split", "steps.arrow"},
        };
        for (String[] base : commands) {
            List<String> names = new ArrayList<>(List.of("--out", "--output"));
            if (base[1].equals("split")) {
                names.add("--output-dir");
            }
            for (String name : names) {
                String call = String.join(" ", base) + " " + name;
                CommandLine.ParseResult leaf = parseLeaf(concat(base, name, "result"));

                for (String other : names) {
                    assertEquals(Path.of("result"), leaf.matchedOptionValue(other, null), call + ", read as " + other);
                }
            }
        }
    }

    @Test
    void separatorOptionAcceptsBothNames() {
        String[][] commands = {
            {"search", "--strategy", "greedy", "--problems", "p.jsonl", "--out", "r.jsonl",
                "--generator-url", "http://127.0.0.1:9/v1", "--scorer-url", "http://127.0.0.1:9"},
            {"dataset", "autolabel", "--input", "steps.arrow", "--out", "l.arrow",
                "--generator-url", "http://127.0.0.1:9/v1", "--model", "m"},
            {"dataset", "import", "--format", "generic", "--input", "a.jsonl", "--out", "a.arrow", "--tokenizer", "tok"},
            {"dataset", "tokenize", "--input", "a.arrow", "--out", "b.arrow", "--tokenizer", "tok"},
        };
        for (String[] base : commands) {
            for (String name : List.of("--separator", "--step-separator")) {
                String call = String.join(" ", base) + " " + name;
                CommandLine.ParseResult leaf = parseLeaf(concat(base, name, "<sep>"));

                assertEquals("<sep>", leaf.matchedOptionValue("--separator", null), call);
                assertEquals("<sep>", leaf.matchedOptionValue("--step-separator", null), call);
            }
        }
    }

    @Test
    void trainDeviceAndGpuAlias() {
        String[] base = {"train", "prm", "--data", "train.arrow", "--model", "backbone", "--out", "prm"};

        TrainCommand cpu = (TrainCommand) parseLeaf(concat(base, "--device", "cpu")).commandSpec().userObject();
        assertEquals(Device.cpu(), cpu.trainingDevice());

        TrainCommand gpu = (TrainCommand) parseLeaf(concat(base, "--gpu")).commandSpec().userObject();
        assertTrue(gpu.gpu);
        assertEquals(null, gpu.deviceName);
    }

    @Test
    void trainRejectsGpuWithDevice() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("train", "prm", "--data", "train.arrow", "--model", "backbone", "--out", "prm",
                "--gpu", "--device", "cpu");

        assertEquals(2, exit);
        assertTrue(err.toString().startsWith("--gpu and --device are the same setting; give only --device cpu"),
                err.toString());
    }

    @Test
    void trainAndEvalRejectInvalidDevice() {
        String[][] calls = {
            {"train", "prm", "--data", "train.arrow", "--model", "backbone", "--out", "prm", "--device", "tpu"},
            {"eval", "prm", "--model", "prm", "--device", "tpu"},
        };
        for (String[] call : calls) {
            StringWriter err = new StringWriter();
            CommandLine commandLine = StepwiseCommand.newCommandLine();
            commandLine.setErr(new PrintWriter(err));

            assertEquals(1, commandLine.execute(call), err.toString());
            assertEquals("stepwise " + call[0] + ": --device: invalid device 'tpu'; expected cpu, gpu or gpuN"
                    + System.lineSeparator(), err.toString());
        }
    }

    @Test
    void evalDeviceDefaultsToCpu() {
        CommandLine.ParseResult leaf = parseLeaf("eval", "prm", "--model", "prm");

        assertEquals("cpu", ((EvalCommand) leaf.commandSpec().userObject()).deviceName);
    }
}
