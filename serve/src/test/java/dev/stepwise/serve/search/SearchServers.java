package dev.stepwise.serve.search;

import dev.stepwise.dataset.generate.GenerationScript;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.internal.HttpService;
import dev.stepwise.serve.internal.ScoringBackend;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scripted OpenAI-compatible generator and a scoring service with marker-scored PRM and ORM
 * models, both on 127.0.0.1 port 0, with clients and a search context over them.
 */
final class SearchServers implements AutoCloseable {

    final ScriptedGeneratorServer generatorServer;
    final HttpService scoringService;
    final GeneratorClient generator;
    final ScoringClient prm;
    final ScoringClient orm;
    final SearchContext context;

    SearchServers(GenerationScript script) {
        generatorServer = ScriptedGeneratorServer.start("scripted", script);
        Map<String, ScoringBackend> backends = new LinkedHashMap<>();
        backends.put("marker-prm", new MarkerScoringBackend(ScoringBackend.Kind.PRM));
        backends.put("marker-orm", new MarkerScoringBackend(ScoringBackend.Kind.ORM));
        scoringService = HttpService.start(ServerConfig.builder().port(0).build(), backends);
        generator = new GeneratorClient(GeneratorConfig.defaults(generatorServer.baseUrl(), "scripted"));
        URI scoringUri = URI.create("http://127.0.0.1:" + scoringService.port());
        prm = ScoringClient.builder(scoringUri).model("marker-prm").build();
        orm = ScoringClient.builder(scoringUri).model("marker-orm").build();
        var settings = new GenerationSettings(StepTreeScript.SEPARATOR, 64, 512, 0.8, 7);
        context = SearchClients.context(generator, prm, orm, SearchClients.defaultJudge(), settings);
    }

    /** Returns the search context without the ORM, for thresholds and calibrations on the PRM alone. */
    SearchContext prmOnly() {
        return new SearchContext(context.generator(), context.stepScorer(), null, context.judge(), context.settings());
    }

    @Override
    public void close() {
        generator.close();
        prm.close();
        orm.close();
        scoringService.close();
        generatorServer.close();
    }
}
