package dev.stepwise.cli;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.autolabel.AutolabelConfig;
import dev.stepwise.dataset.autolabel.AutolabelJob;
import dev.stepwise.dataset.autolabel.AutolabelProgress;
import dev.stepwise.dataset.autolabel.AutolabelSummary;
import dev.stepwise.dataset.autolabel.CompletionGrader;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.grading.GraderOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stepwise dataset autolabel}: labels the steps of a step dataset by Monte-Carlo rollouts
 * from an OpenAI-compatible server; see {@code docs/autolabel.md}.
 */
@Command(name = "autolabel", mixinStandardHelpOptions = true,
        description = {
            "Labels every step of a step dataset from sampled completions.",
            "For a file from 'stepwise dataset import', samples completions from each step prefix on an "
                    + "OpenAI-compatible server and grades their final answers against the reference. Progress "
                    + "goes to <out>.rollouts.jsonl, so rerunning the same command resumes the job.",
            "In --stop, --step-separator and --prompt-template, \\n and \\t mean newline and tab.",
            "Exit code 2: some requests failed after all retries and their steps are unlabeled; rerun the "
                    + "command to retry them.",
            "Example:",
            "  stepwise dataset autolabel --input steps.arrow --out labeled.arrow \\",
            "    --generator-url http://127.0.0.1:8000/v1 \\",
            "    --model Qwen/Qwen2.5-Math-7B-Instruct --rollouts 8 --strategy mc"})
public final class AutolabelCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "Step dataset (Arrow IPC) to label.")
    Path input;

    @Option(names = {"--out", "--output"}, required = true, description = "Step dataset to write, with labels and rollout counts.")
    Path output;

    @Option(names = "--generator-url", required = true,
            description = "API root of the server, for example http://127.0.0.1:8000/v1 (/v1 is added when the URL has no path).")
    String generatorUrl;

    @Option(names = "--model", required = true, description = "Model name as the server serves it.")
    String model;

    @Option(names = "--rollouts", defaultValue = "8", description = "Completions per probed step, N (default: ${DEFAULT-VALUE}).")
    int rollouts;

    @Option(names = "--strategy", defaultValue = "mc",
            description = "mc: probe every step; first-error: binary-search the first failing step (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--labels", defaultValue = "soft",
            description = "soft: fraction of graded rollouts that are correct (float32); hard: 1 when any is correct (int8) "
                    + "(default: ${DEFAULT-VALUE}).")
    String labels;

    @Option(names = "--endpoint", defaultValue = "completions",
            description = "completions (/v1/completions, the prompt is continued) or chat (/v1/chat/completions, the "
                    + "prompt is one user message) (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--api-key-env", description = "Environment variable that contains the API key; no key is sent by default.")
    String apiKeyEnv;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--max-tokens", defaultValue = "1024",
            description = "Maximum completion length in tokens; a completion cut here is not graded (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", description = "Stop sequence; repeat for several (default: none).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Base seed of all rollout seeds (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--samples-per-request",
            description = "Completions per HTTP request, the OpenAI n (default: the value of --rollouts).")
    Integer samplesPerRequest;

    @Option(names = "--concurrency", defaultValue = "16",
            description = "HTTP requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout-s", defaultValue = "300",
            description = "Limit for one HTTP attempt in seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--max-retries", defaultValue = "6",
            description = "Retries of a request after 429, 5xx, timeouts and connection failures (default: ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(names = "--prompt-template", defaultValue = AutolabelConfig.DEFAULT_PROMPT_TEMPLATE,
            description = "Prompt with {problem} and {steps} (default: '{problem}\\n\\n{steps}').")
    String promptTemplate;

    @Option(names = {"--step-separator", "--separator"}, defaultValue = AutolabelConfig.DEFAULT_STEP_SEPARATOR,
            description = "Text after each prefix step (default: '\\n\\n').")
    String stepSeparator;

    @Option(names = "--log", description = "Rollout log path (default: <out>.rollouts.jsonl).")
    Path log;

    @Option(names = "--grade-deadline-ms", defaultValue = "5000",
            description = "Grading deadline per completion in milliseconds (default: ${DEFAULT-VALUE}).")
    long gradeDeadlineMillis;

    @Override
    public Integer call() throws IOException {
        GeneratorConfig generator = generatorConfig();
        AutolabelConfig config = jobConfig();
        if (gradeDeadlineMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--grade-deadline-ms must be at least 1, found " + gradeDeadlineMillis);
        }
        CompletionGrader grader = CompletionGrader.standard(
                GraderOptions.DEFAULTS.withDeadline(Duration.ofMillis(gradeDeadlineMillis)));
        PrintWriter err = spec.commandLine().getErr();
        try (GeneratorClient client = new GeneratorClient(generator)) {
            AutolabelSummary summary = new AutolabelJob(config, client, grader).run(progressPrinter(err));
            spec.commandLine().getOut().println(summary.toText());
            spec.commandLine().getOut().flush();
            return summary.failuresByReason().isEmpty() ? 0 : 2;
        }
    }

    private GeneratorConfig generatorConfig() {
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout-s must be at least 1, found " + timeoutSeconds);
        }
        GeneratorConfig.Endpoint kind = switch (endpoint.toLowerCase(Locale.ROOT)) {
            case "completions" -> GeneratorConfig.Endpoint.COMPLETIONS;
            case "chat" -> GeneratorConfig.Endpoint.CHAT;
            default -> throw new ParameterException(spec.commandLine(),
                    "--endpoint must be completions or chat, found " + endpoint);
        };
        return GeneratorConfig.defaults(generatorUrl, model)
                .withEndpoint(kind)
                .withApiKeyEnv(apiKeyEnv)
                .withTimeout(Duration.ofSeconds(timeoutSeconds))
                .withRetries(maxRetries, GeneratorConfig.DEFAULT_BACKOFF_BASE, GeneratorConfig.DEFAULT_BACKOFF_MAX)
                .withMaxConcurrency(concurrency);
    }

    private AutolabelConfig jobConfig() {
        AutolabelConfig.Strategy strategyValue = switch (strategy.toLowerCase(Locale.ROOT)) {
            case "mc" -> AutolabelConfig.Strategy.MC;
            case "first-error" -> AutolabelConfig.Strategy.FIRST_ERROR;
            default -> throw new ParameterException(spec.commandLine(),
                    "--strategy must be mc or first-error, found " + strategy);
        };
        LabelPolicy.LabelType labelType = switch (labels.toLowerCase(Locale.ROOT)) {
            case "soft" -> LabelPolicy.LabelType.SOFT;
            case "hard" -> LabelPolicy.LabelType.HARD;
            default -> throw new ParameterException(spec.commandLine(), "--labels must be soft or hard, found " + labels);
        };
        return AutolabelConfig.defaults(input, output)
                .withLog(log)
                .withStrategy(strategyValue)
                .withLabels(labelType)
                .withRollouts(rollouts)
                .withSamplesPerRequest(samplesPerRequest == null ? rollouts : samplesPerRequest)
                .withSampling(temperature, topP, maxTokens)
                .withStop(stop.stream().map(AutolabelCommand::unescape).toList())
                .withSeed(seed)
                .withPrompt(unescape(promptTemplate), unescape(stepSeparator))
                .withWorkers(concurrency)
                .withProgressInterval(Duration.ofSeconds(System.console() != null ? 1 : 30));
    }

    /** Creates a printer that redraws the bar in place on a terminal and prints one line per report otherwise. */
    private static Consumer<AutolabelProgress> progressPrinter(PrintWriter err) {
        boolean terminal = System.console() != null;
        return progress -> {
            String line = progress.toBarLine(30);
            if (terminal) {
                err.print("\r" + line + (progress.finished() ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        };
    }

    /** Replaces the escapes \n, \t and \\ with newline, tab and backslash. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                String replacement = switch (next) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case '\\' -> "\\";
                    default -> null;
                };
                if (replacement != null) {
                    out.append(replacement);
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
