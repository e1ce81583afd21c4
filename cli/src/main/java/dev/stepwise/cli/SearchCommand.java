package dev.stepwise.cli;

import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.search.AdaptiveConfig;
import dev.stepwise.serve.search.AnswerJudge;
import dev.stepwise.serve.search.BeamConfig;
import dev.stepwise.serve.search.BestOfNConfig;
import dev.stepwise.serve.search.Calibration;
import dev.stepwise.serve.search.CalibrationTarget;
import dev.stepwise.serve.search.EvaluationRow;
import dev.stepwise.serve.search.GenerationSettings;
import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.SearchClients;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.SearchEvaluation;
import dev.stepwise.serve.search.SearchFiles;
import dev.stepwise.serve.search.SearchResult;
import dev.stepwise.serve.search.SearchStrategies;
import dev.stepwise.serve.search.SearchStrategy;
import dev.stepwise.serve.search.StepAggregate;
import dev.stepwise.serve.search.StrategySpec;
import dev.stepwise.serve.search.Thresholds;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stepwise search}: runs a search strategy on a problems file against an OpenAI-compatible
 * generator and the stepwise scoring service, writes one result per problem, and in evaluation mode
 * grades the results and prints accuracy versus compute.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {
            "Runs a test-time search strategy on every problem of a JSON Lines file.",
            "Strategies: greedy, Best-of-N, PRM beam search, lookahead search, diverse verifier tree search and "
                    + "adaptive. Each input line is {\"id\":…, \"problem\":…, \"answer\":…}, and each output line "
                    + "is the result for one problem.",
            "Example:",
            "  stepwise search --strategy beam --width 4 --problems problems.jsonl \\",
            "    --generator-url http://127.0.0.1:8000/v1 --model qwen \\",
            "    --scorer-url http://127.0.0.1:8080 --out results.jsonl"})
public final class SearchCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--strategy", required = true,
            description = "greedy, best-of-n, beam, lookahead, dvts (diverse verifier tree search) or adaptive.")
    String strategy;

    @Option(names = "--problems", required = true, description = "Problems file, JSON Lines.")
    Path problems;

    @Option(names = {"--out", "--output"}, required = true, description = "Results file to write, JSON Lines.")
    Path out;

    @Option(names = "--generator-url", required = true,
            description = "OpenAI-compatible API root, for example http://127.0.0.1:8000/v1.")
    String generatorUrl;

    @Option(names = "--model", defaultValue = "default", description = "Generator model name (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--scorer-url", required = true, description = "Scoring service root, for example http://127.0.0.1:8080.")
    URI scorerUrl;

    @Option(names = "--prm-model", description = "PRM name on the scoring service; default: its only PRM.")
    String prmModel;

    @Option(names = "--orm", description = "Also use the scoring service's ORM (needed by --selection orm and --outcome-score).")
    boolean useOrm;

    @Option(names = "--orm-model", description = "ORM name on the scoring service; default: its only ORM. Implies --orm.")
    String ormModel;

    @Option(names = "--n", defaultValue = "4", description = "Best-of-N: solutions per problem (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--selection", defaultValue = "prm",
            description = "Best-of-N selection: orm, prm or weighted-vote (default: ${DEFAULT-VALUE}).")
    String selection;

    @Option(names = "--aggregate", defaultValue = "min",
            description = "How stepScores combine for Best-of-N: last, min, product or mean (default: ${DEFAULT-VALUE}).")
    String aggregate;

    @Option(names = "--beam-aggregate", defaultValue = "last",
            description = "How stepScores rank beams: last, min, product or mean (default: ${DEFAULT-VALUE}).")
    String beamAggregate;

    @Option(names = "--width", defaultValue = "4", description = "Beams kept per round (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--expansions", defaultValue = "4", description = "Next-step samples per beam (default: ${DEFAULT-VALUE}).")
    int expansions;

    @Option(names = "--max-steps", defaultValue = "12", description = "Step budget of beam and lookahead search (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--lookahead", defaultValue = "2", description = "Lookahead steps k (default: ${DEFAULT-VALUE}).")
    int lookahead;

    @Option(names = "--full-prefix-scoring",
            description = "Rescore the whole prefix for every new step instead of using the scoring service's prefix cache.")
    boolean fullPrefixScoring;

    @Option(names = "--ladder", split = ",", defaultValue = "best-of-n:4,beam:4,lookahead:4",
            description = "Adaptive: strategies tried after greedy, as NAME:SIZE (default: ${DEFAULT-VALUE}).")
    List<String> ladder;

    @Option(names = "--min-step-score", defaultValue = "0.5",
            description = "Adaptive: accept when the lowest stepScore is at least this (default: ${DEFAULT-VALUE}).")
    double minStepScore;

    @Option(names = "--outcome-score", description = "Adaptive: also require this ORM outcomeScore; needs --orm.")
    Double outcomeScore;

    @Option(names = "--compute-budget", defaultValue = "0",
            description = "Adaptive: no further rung starts once a problem has spent this many compute tokens; 0 for none.")
    long computeBudget;

    @Option(names = "--calibration", description = "Adaptive: thresholds file; read it, or write it with --calibrate.")
    Path calibration;

    @Option(names = "--calibrate", description = "Adaptive: validation problems to choose thresholds on, with --target-accuracy or --target-budget.")
    Path validation;

    @Option(names = "--target-accuracy", description = "Calibration target: fraction of validation problems answered correctly.")
    Double targetAccuracy;

    @Option(names = "--target-budget", description = "Calibration target: average compute tokens per problem.")
    Double targetBudget;

    @Option(names = "--evaluate", description = "Grade results against the problems' answers and print accuracy versus compute.")
    boolean evaluate;

    @Option(names = "--compare", description = "With --evaluate: also run greedy, Best-of-N at --compare-n and beam search at --compare-widths.")
    boolean compare;

    @Option(names = "--compare-n", split = ",", defaultValue = "2,4,8", description = "Best-of-N sizes to compare (default: ${DEFAULT-VALUE}).")
    List<Integer> compareN;

    @Option(names = "--compare-widths", split = ",", defaultValue = "2,4", description = "Beam widths to compare (default: ${DEFAULT-VALUE}).")
    List<Integer> compareWidths;

    @Option(names = "--plot", description = "With --evaluate: accuracy-versus-compute PNG to write.")
    Path plot;

    @Option(names = {"--step-separator", "--separator"}, defaultValue = "\\n\\n",
            description = "Text between steps, with \\n for a line break (default: ${DEFAULT-VALUE}).")
    String stepSeparator;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--max-step-tokens", defaultValue = "256", description = "Token limit of one step (default: ${DEFAULT-VALUE}).")
    int maxStepTokens;

    @Option(names = "--max-solution-tokens", defaultValue = "2048", description = "Token limit of one solution (default: ${DEFAULT-VALUE}).")
    int maxSolutionTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Base sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private static final List<String> STRATEGIES = List.of("greedy", "best-of-n", "beam", "lookahead", "dvts", "adaptive");

    @Override
    public Integer call() throws Exception {
        if (!STRATEGIES.contains(strategy)) {
            throw new ParameterException(spec.commandLine(), "unknown --strategy '" + strategy
                    + "', expected one of " + String.join(", ", STRATEGIES));
        }
        GenerationSettings settings;
        try {
            settings = new GenerationSettings(stepSeparator.replace("\\n", "\n").replace("\\t", "\t"),
                    maxStepTokens, maxSolutionTokens, temperature, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Problem> problemList = readProblems(problems, "--problems");
        if (evaluate) {
            requireReferences(problemList);
        }
        AnswerJudge judge = SearchClients.defaultJudge();
        boolean orm = useOrm || ormModel != null;
        try (GeneratorClient generator = new GeneratorClient(GeneratorConfig.defaults(generatorUrl, model));
                ScoringClient prm = ScoringClient.builder(scorerUrl).model(prmModel).build();
                ScoringClient ormClient = ScoringClient.builder(scorerUrl).model(ormModel).build()) {
            SearchContext context = SearchClients.context(generator, prm, orm ? ormClient : null, judge, settings);
            StrategySpec main = strategySpec(context);
            SearchStrategy search = SearchStrategies.create(main, context);
            List<SearchResult> results = new ArrayList<>();
            for (Problem problem : problemList) {
                results.add(search.search(problem));
            }
            List<Boolean> correct = evaluate ? grade(problemList, results, judge) : null;
            SearchFiles.writeResults(out, results, correct);
            spec.commandLine().getOut().printf("wrote %d results of %s to %s%n", results.size(), search.name(), out);
            if (evaluate) {
                printEvaluation(context, search.name(), problemList, results);
            }
        }
        return 0;
    }

    private StrategySpec strategySpec(SearchContext context) throws Exception {
        try {
            return switch (strategy) {
                case "greedy" -> new StrategySpec.Greedy();
                case "best-of-n" -> bestOfN(n);
                case "beam" -> beam(width, 0);
                case "lookahead" -> beam(width, lookahead);
                case "dvts" -> new StrategySpec.DiverseTree(((StrategySpec.Beam) beam(width, 0)).config());
                default -> new StrategySpec.Adaptive(adaptiveConfig(context));
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, strategy);
        }
    }

    private List<Problem> readProblems(Path path, String option) {
        try {
            return SearchFiles.readProblems(path);
        } catch (java.io.IOException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "file not found: " + path : e.getMessage();
            throw new ParameterException(spec.commandLine(), option + ": " + reason);
        }
    }

    private StrategySpec bestOfN(int size) {
        return new StrategySpec.BestOfN(new BestOfNConfig(size, BestOfNConfig.Selection.parse(selection),
                StepAggregate.parse(aggregate)));
    }

    private StrategySpec beam(int beamWidth, int lookaheadSteps) {
        BeamConfig.ScoringMode scoring =
                fullPrefixScoring ? BeamConfig.ScoringMode.FULL_PREFIX : BeamConfig.ScoringMode.INCREMENTAL;
        return new StrategySpec.Beam(new BeamConfig(beamWidth, expansions, maxSteps, lookaheadSteps,
                StepAggregate.parse(beamAggregate), scoring));
    }

    private AdaptiveConfig adaptiveConfig(SearchContext context) throws Exception {
        List<StrategySpec> rungs = new ArrayList<>();
        for (String rung : ladder) {
            rungs.add(ladderRung(rung.strip()));
        }
        AdaptiveConfig config = new AdaptiveConfig(rungs, new Thresholds(minStepScore, outcomeScore), computeBudget);
        if (validation != null) {
            return calibrate(context, config);
        }
        if (calibration != null) {
            Calibration saved = Calibration.read(calibration);
            spec.commandLine().getOut().printf("using thresholds %s from %s%n", saved.thresholds(), calibration);
            return saved.applyTo(config, context);
        }
        return config;
    }

    private AdaptiveConfig calibrate(SearchContext context, AdaptiveConfig config) throws Exception {
        if ((targetAccuracy == null) == (targetBudget == null)) {
            throw new IllegalArgumentException("--calibrate needs exactly one of --target-accuracy and --target-budget");
        }
        if (calibration == null) {
            throw new IllegalArgumentException("--calibrate needs --calibration FILE to write the thresholds to");
        }
        CalibrationTarget target = targetAccuracy != null
                ? CalibrationTarget.accuracy(targetAccuracy)
                : CalibrationTarget.computeBudget(targetBudget);
        Calibration fitted = Calibration.fit(context, config.ladder(), config.computeBudget(),
                readProblems(validation, "--calibrate"), target);
        fitted.write(calibration);
        spec.commandLine().getOut().printf(
                "calibrated %s for %s: accuracy %.3f at %.1f compute tokens per problem on %d problems; wrote %s%n",
                fitted.thresholds(), target, fitted.accuracy(), fitted.averageComputeTokens(),
                fitted.validationProblems(), calibration);
        return fitted.applyTo(config, context);
    }

    private StrategySpec ladderRung(String rung) {
        int colon = rung.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("ladder rung '" + rung + "' must be NAME:SIZE, for example best-of-n:4");
        }
        String name = rung.substring(0, colon);
        int size;
        try {
            size = Integer.parseInt(rung.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ladder rung '" + rung + "' has no integer size after ':'");
        }
        return switch (name) {
            case "best-of-n" -> bestOfN(size);
            case "beam" -> beam(size, 0);
            case "lookahead" -> beam(size, lookahead);
            case "dvts" -> new StrategySpec.DiverseTree(((StrategySpec.Beam) beam(size, 0)).config());
            default -> throw new IllegalArgumentException("unknown ladder strategy '" + name + "' in '" + rung
                    + "', expected best-of-n, beam, lookahead or dvts");
        };
    }

    private void requireReferences(List<Problem> problemList) {
        for (Problem problem : problemList) {
            if (problem.referenceAnswer() == null) {
                throw new ParameterException(spec.commandLine(), "--evaluate needs an 'answer' for every problem in "
                        + problems + ", but problem '" + problem.id() + "' has none");
            }
        }
    }

    private static List<Boolean> grade(List<Problem> problems, List<SearchResult> results, AnswerJudge judge) {
        List<Boolean> correct = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            String reference = problems.get(i).referenceAnswer();
            SearchResult result = results.get(i);
            correct.add(result.hasFinalAnswer() && judge.equivalent(result.finalAnswer(), reference));
        }
        return correct;
    }

    private void printEvaluation(SearchContext context, String name, List<Problem> problemList,
            List<SearchResult> results) throws Exception {
        List<EvaluationRow> rows = new ArrayList<>();
        if (compare) {
            List<StrategySpec> baselines = new ArrayList<>();
            baselines.add(new StrategySpec.Greedy());
            compareN.forEach(size -> baselines.add(bestOfN(size)));
            compareWidths.forEach(size -> baselines.add(beam(size, 0)));
            // A baseline equal to the main strategy would only repeat its run, and the plot needs unique names.
            baselines.removeIf(baseline -> SearchStrategies.create(baseline, context).name().equals(name));
            rows.addAll(SearchEvaluation.accuracyVersusCompute(context, baselines, problemList, null));
        }
        rows.add(SearchEvaluation.grade(name, problemList, results, context.judge()));
        // print does not flush the auto-flushing writer, and the JVM exits without flushing it.
        spec.commandLine().getOut().print(SearchEvaluation.table(rows));
        spec.commandLine().getOut().flush();
        if (plot != null) {
            SearchEvaluation.writePlot(rows, plot);
            spec.commandLine().getOut().printf("wrote accuracy-versus-compute plot to %s%n", plot);
        }
    }
}
