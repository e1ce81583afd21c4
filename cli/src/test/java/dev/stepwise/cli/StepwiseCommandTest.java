package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.dataset.generate.GenerationException;
import dev.stepwise.serve.client.ScoringException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The error policy of the {@code stepwise} entry point and the one-line summaries of its commands. */
class StepwiseCommandTest {

    @Test
    void fileErrorsNameTheFailure() {
        assertEquals("file or folder not found: /a/b.json", StepwiseCommand.userMessage(new NoSuchFileException("/a/b.json")));
        assertEquals("permission denied: /a", StepwiseCommand.userMessage(new AccessDeniedException("/a")));
    }

    @Test
    void nullCauseMessageNamesCauseClass() {
        ScoringException error = new ScoringException(0, "connection_failed",
                "request to http://127.0.0.1:9/v1/prm/score failed: null", new ConnectException());

        assertEquals("request to http://127.0.0.1:9/v1/prm/score failed: ConnectException",
                StepwiseCommand.userMessage(error));
    }

    @Test
    void unreachableGeneratorPrintsOneLine() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));
        CommandLine search = commandLine.getSubcommands().get("search");
        GenerationException failure = new GenerationException(GenerationException.Reason.CONNECTION_FAILED,
                "cannot connect to http://127.0.0.1:9/v1/completions: java.net.ConnectException", 7, 0,
                new ConnectException());

        int exit = commandLine.getExecutionExceptionHandler().handleExecutionException(failure, search, null);

        assertEquals(1, exit);
        assertEquals("stepwise search: CONNECTION_FAILED: cannot connect to http://127.0.0.1:9/v1/completions: "
                + "java.net.ConnectException" + System.lineSeparator(), err.toString());
    }

    /** Runs the entry point and returns the exit code, standard output and standard error. */
    private static String[] execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    @Test
    void unknownCommandSuggestsNestedCommand() {
        for (String[] args : new String[][] {{"autolabel", "--help"}, {"autolabel"}, {"autolabel", "--input", "x"}}) {
            String[] result = execute(args);
            String call = String.join(" ", args);

            assertEquals("2", result[0], call);
            assertEquals("", result[1], call);
            assertTrue(result[2].startsWith("stepwise: unknown command 'autolabel'" + System.lineSeparator()
                    + "Did you mean 'stepwise dataset autolabel'?" + System.lineSeparator()), call + ": " + result[2]);
            assertTrue(result[2].contains("Run 'stepwise --help' for the list of commands."), call + ": " + result[2]);
        }
    }

    @Test
    void unknownCommandUnderSubcommand() {
        String[] result = execute("dataset", "frobnicate", "--help");

        assertEquals("2", result[0]);
        assertEquals("", result[1]);
        assertTrue(result[2].startsWith("stepwise dataset: unknown command 'frobnicate'"), result[2]);
        assertTrue(result[2].contains("Run 'stepwise dataset --help'"), result[2]);
    }

    @Test
    void unknownCommandFindsModelInfo() {
        String[] result = execute("info", "some-folder");

        assertEquals("2", result[0]);
        assertTrue(result[2].contains("Did you mean 'stepwise model info'?"), result[2]);
    }

    @Test
    void misspelledCommandGetsSpellingSuggestion() {
        String[] result = execute("serv");

        assertEquals("2", result[0]);
        assertTrue(result[2].startsWith("stepwise: unknown command 'serv'"), result[2]);
        assertTrue(result[2].contains("serve"), result[2]);
    }

    @Test
    void rootAndSubcommandHelpStillWork() {
        String[] root = execute("--help");
        assertEquals("0", root[0], root[2]);
        assertTrue(root[1].startsWith("Usage: stepwise"), root[1]);
        assertEquals("", root[2]);

        String[] dataset = execute("dataset", "autolabel", "--help");
        assertEquals("0", dataset[0], dataset[2]);
        assertTrue(dataset[1].startsWith("Usage: stepwise dataset autolabel"), dataset[1]);

        // An unknown option after --help is not a command name, so picocli's usual help still runs.
        String[] unknownOption = execute("grade", "--help", "--no-such-option");
        assertEquals("0", unknownOption[0], unknownOption[2]);
        assertTrue(unknownOption[1].startsWith("Usage: stepwise grade"), unknownOption[1]);
    }

    @Test
    void commandSummariesAreCompleteSentences() {
        List<CommandLine> commands = new ArrayList<>(StepwiseCommand.newCommandLine().getSubcommands().values());
        for (int i = 0; i < commands.size(); i++) {
            commands.addAll(commands.get(i).getSubcommands().values());
        }

        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            // train, eval and quickstart belong to other work in progress; help is picocli's own.
            if (name.matches("stepwise (help|train|eval|quickstart)")) {
                continue;
            }
            String[] description = command.getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, name);
            // The command list shows only the first element, so it must be one whole sentence.
            assertTrue(description[0].endsWith("."), name + ": " + description[0]);
            assertTrue(description[0].length() <= 90, name + " summary is " + description[0].length() + " characters");
        }
    }
}
