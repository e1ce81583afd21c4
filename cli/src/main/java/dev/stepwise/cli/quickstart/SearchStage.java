package dev.stepwise.cli.quickstart;

import ai.djl.Device;
import dev.stepwise.dataset.demo.ArithmeticProblem;
import dev.stepwise.dataset.demo.DemoDataset;
import dev.stepwise.dataset.demo.DemoPolicyScript;
import dev.stepwise.dataset.demo.NoisyPolicy;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.search.AdaptiveConfig;
import dev.stepwise.serve.search.BeamConfig;
import dev.stepwise.serve.search.BestOfNConfig;
import dev.stepwise.serve.search.EvaluationRow;
import dev.stepwise.serve.search.GenerationSettings;
import dev.stepwise.serve.search.Problem;
import dev.stepwise.serve.search.SearchClients;
import dev.stepwise.serve.search.SearchContext;
import dev.stepwise.serve.search.SearchEvaluation;
import dev.stepwise.serve.search.StepAggregate;
import dev.stepwise.serve.search.StrategySpec;
import dev.stepwise.serve.search.Thresholds;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the trained PRM and ORM on a free port of 127.0.0.1, plays the noisy policy through an
 * OpenAI-compatible scripted generator on another free port, and runs the search strategies through
 * both over HTTP.
 */
final class SearchStage {
    private static final Logger LOG = LoggerFactory.getLogger(SearchStage.class);

    /** The policy's separator between steps, also the stop sequence of one step. */
    static final String STEP_SEPARATOR = DemoModels.ORM_STEP_JOINER;
    private static final String GENERATOR_MODEL = "demo-policy";

    private SearchStage() {}

    /** Returns the strategies of the report, cheapest first. */
    static List<StrategySpec> strategies() {
        StrategySpec bestOf4 = new StrategySpec.BestOfN(new BestOfNConfig(4, BestOfNConfig.Selection.PRM, StepAggregate.MIN));
        StrategySpec bestOf16 = new StrategySpec.BestOfN(new BestOfNConfig(16, BestOfNConfig.Selection.PRM, StepAggregate.MIN));
        return List.of(
                new StrategySpec.Greedy(),
                bestOf4,
                new StrategySpec.BestOfN(new BestOfNConfig(8, BestOfNConfig.Selection.PRM, StepAggregate.MIN)),
                new StrategySpec.BestOfN(new BestOfNConfig(8, BestOfNConfig.Selection.ORM, StepAggregate.MIN)),
                new StrategySpec.BestOfN(new BestOfNConfig(8, BestOfNConfig.Selection.WEIGHTED_VOTE, StepAggregate.MIN)),
                bestOf16,
                new StrategySpec.Beam(new BeamConfig(2, 2, 8, 0, StepAggregate.MIN, BeamConfig.ScoringMode.INCREMENTAL)),
                new StrategySpec.Beam(new BeamConfig(4, 2, 8, 0, StepAggregate.MIN, BeamConfig.ScoringMode.INCREMENTAL)),
                new StrategySpec.Adaptive(new AdaptiveConfig(List.of(bestOf4, bestOf16), new Thresholds(0.5, null), 0)));
    }

    /**
     * Runs {@link #strategies()} on {@code problems} and writes the accuracy-versus-compute plot.
     *
     * @return one row per strategy, in order
     */
    static List<EvaluationRow> run(Path prmDir, Path ormDir, List<ArithmeticProblem> problems, NoisyPolicy policy,
            long seed, Path plot) throws Exception {
        ServerConfig serverConfig = ServerConfig.builder().host("127.0.0.1").port(0).workerThreads(2)
                .maxInputTokens(DemoDataset.MAX_TOKENS).build();
        List<ModelSource> models = List.of(new ModelSource("prm", prmDir), new ModelSource("orm", ormDir));
        DemoPolicyScript script = new DemoPolicyScript(problems, policy, STEP_SEPARATOR);
        try (ScoringServer scoring = ScoringServer.start(serverConfig, models, Device.cpu());
                ScriptedGeneratorServer generatorServer = ScriptedGeneratorServer.start(GENERATOR_MODEL, script);
                GeneratorClient generator = new GeneratorClient(
                        GeneratorConfig.defaults(generatorServer.baseUrl(), GENERATOR_MODEL));
                ScoringClient prm = ScoringClient.builder(URI.create("http://127.0.0.1:" + scoring.port())).model("prm").build();
                ScoringClient orm = ScoringClient.builder(URI.create("http://127.0.0.1:" + scoring.port())).model("orm").build()) {
            LOG.info("scoring service on {}, scripted policy on {}", URI.create("http://127.0.0.1:" + scoring.port()), generatorServer.baseUrl());
            GenerationSettings settings = new GenerationSettings(STEP_SEPARATOR, 64, 512, 1.0, seed);
            SearchContext context = SearchClients.context(generator, prm, orm, SearchClients.defaultJudge(), settings);
            List<Problem> searchProblems = problems.stream()
                    .map(p -> new Problem(p.id(), p.text(), p.referenceAnswer()))
                    .toList();
            return SearchEvaluation.accuracyVersusCompute(context, strategies(), searchProblems, plot);
        }
    }
}
