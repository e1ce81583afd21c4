package dev.stepwise.cli;

import dev.stepwise.dataset.generate.GenerationException;
import dev.stepwise.serve.client.ScoringException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code stepwise} command: one entry point whose subcommands cover the whole pipeline. */
@Command(
        name = "stepwise",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Process and outcome reward models: datasets, training, scoring service and search.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DatasetCommand.class,
            GradeCommand.class,
            SearchCommand.class,
            ModelCommand.class,
            ServeCommand.class,
            QuickstartCommand.class,
            TrainCommand.class,
            EvalCommand.class,
        })
public final class StepwiseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * Returns the command line with the error policy of every subcommand. An invalid input, a missing file or a
     * failed generator or scoring request prints one line, prefixed with the full command name, and exits with 1.
     * Any other exception is a bug and prints its stack trace. An unknown subcommand is a usage error (exit 2) even
     * with {@code --help}, and the message suggests the command of that name elsewhere in the tree.
     */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new StepwiseCommand());
        // Options that parse their own values (--neutral, --strategy, --format) take lower case, so enum options
        // such as grade's --units accept it too.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            // A generator or scoring service that cannot be reached or responds with an error is a problem of the
            // setup, not of this program, so it gets one line too.
            boolean userError = exception instanceof IllegalArgumentException
                    || exception instanceof UnsupportedOperationException
                    || exception instanceof java.io.IOException
                    || exception instanceof GenerationException
                    || exception instanceof ScoringException;
            if (userError) {
                command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + userMessage(exception));
            } else {
                exception.printStackTrace(command.getErr());
            }
            command.getErr().flush();
            return 1;
        });

        CommandLine.IParameterExceptionHandler defaultHandler = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((exception, args) -> {
            if (exception instanceof UnmatchedArgumentException unmatched && isUnknownSubcommand(unmatched)) {
                return reportUnknownSubcommand(unmatched);
            }
            return defaultHandler.handleParseException(exception, args);
        });

        // picocli 4.7 skips the unmatched-argument check when --help is given, so 'stepwise autolabel --help' would
        // print the root help and exit 0. This strategy raises that error before any help runs, and the handler
        // above reports it.
        CommandLine.IExecutionStrategy defaultStrategy = commandLine.getExecutionStrategy();
        commandLine.setExecutionStrategy(parseResult -> {
            CommandLine.ParseResult last = parseResult;
            while (last.hasSubcommand()) {
                last = last.subcommand();
            }
            if (!last.unmatched().isEmpty()) {
                UnmatchedArgumentException unmatched = new UnmatchedArgumentException(last.commandSpec().commandLine(),
                        last.unmatched());
                if (isUnknownSubcommand(unmatched)) {
                    throw unmatched;
                }
            }
            return defaultStrategy.execute(parseResult);
        });
        return commandLine;
    }

    /**
     * Returns whether the first unmatched argument is in the place of a subcommand name. That is the case when the
     * command has subcommands, takes no positional parameters, and the argument is not an option.
     */
    static boolean isUnknownSubcommand(UnmatchedArgumentException exception) {
        CommandLine command = exception.getCommandLine();
        List<String> unmatched = exception.getUnmatched();
        return !unmatched.isEmpty()
                && !unmatched.get(0).startsWith("-")
                && !command.getSubcommands().isEmpty()
                && command.getCommandSpec().positionalParameters().isEmpty();
    }

    /**
     * Prints that a subcommand is unknown, with the full names of commands of that name elsewhere in the tree (for
     * {@code stepwise autolabel}: {@code stepwise dataset autolabel}) or else picocli's spelling suggestions.
     */
    private static int reportUnknownSubcommand(UnmatchedArgumentException exception) {
        CommandLine command = exception.getCommandLine();
        String name = exception.getUnmatched().get(0);
        String parent = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();

        err.println(parent + ": unknown command '" + name + "'");
        List<String> elsewhere = new ArrayList<>();
        collectCommandsNamed(command.getCommandSpec().root().commandLine(), name, elsewhere);
        if (!elsewhere.isEmpty()) {
            err.println("Did you mean '" + String.join("' or '", elsewhere) + "'?");
        } else {
            UnmatchedArgumentException.printSuggestions(exception, err);
        }
        err.println("Run '" + parent + " --help' for the list of commands.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Adds the qualified names of all commands under {@code command} whose name or alias is {@code name}. */
    private static void collectCommandsNamed(CommandLine command, String name, List<String> found) {
        for (CommandLine subcommand : new LinkedHashSet<>(command.getSubcommands().values())) {
            if (subcommand.getCommandSpec().names().contains(name)) {
                found.add(subcommand.getCommandSpec().qualifiedName());
            }
            collectCommandsNamed(subcommand, name, found);
        }
    }

    /**
     * Returns the message of a user error. The file-system exceptions of {@code java.nio.file} carry only the path
     * as their message, so they get the failure named in front of it.
     */
    static String userMessage(Exception exception) {
        if (exception instanceof NoSuchFileException missing) {
            return "file or folder not found: " + missing.getFile();
        }
        if (exception instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (exception instanceof NotDirectoryException notDirectory) {
            return "not a folder: " + notDirectory.getFile();
        }
        if (exception instanceof FileAlreadyExistsException exists) {
            return "already exists: " + exists.getFile();
        }
        if (exception instanceof FileSystemException other && other.getReason() == null) {
            return "file system error on " + other.getFile();
        }
        String message = exception.getMessage();
        Throwable cause = exception.getCause();
        if (message != null && message.endsWith(": null") && cause != null) {
            // The JDK's ConnectException often has no message, so the class names the failure.
            String detail = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
            message = message.substring(0, message.length() - "null".length()) + detail;
        }
        return message;
    }
}
