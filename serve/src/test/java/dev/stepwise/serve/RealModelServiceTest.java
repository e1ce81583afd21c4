package dev.stepwise.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.serve.client.OrmItem;
import dev.stepwise.serve.client.OrmResult;
import dev.stepwise.serve.client.PrmItem;
import dev.stepwise.serve.client.PrmResult;
import dev.stepwise.serve.client.ScoringClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service over real model folders (random-init tiny Llama, demo tokenizer, stepwise.json) loaded through
 * {@link ScoringServer#start}: scores equal the prm and orm modules' own, and do not depend on batch composition or on
 * the prefix cache.
 */
class RealModelServiceTest {

    private static final String PROBLEM = "What is 15% of 200?";
    private static final List<String> STEPS = List.of("15% is 0.15.", "200 x 0.15 = 30.", "So the answer is 30.");

    @TempDir
    static Path folders;
    private static ScoringServer server;
    private static ProcessRewardModel prm;
    private static OutcomeRewardModel orm;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path prmDir = TinyModelFolders.writePrm(Files.createDirectory(folders.resolve("prm")), 11, false);
        Path ormDir = TinyModelFolders.writeOrm(Files.createDirectory(folders.resolve("orm")), 21);
        Path nanDir = TinyModelFolders.writePrm(Files.createDirectory(folders.resolve("nan")), 31, true);
        ServerConfig config = ServerConfig.builder().port(0).maxInputTokens(TinyModelFolders.MAX_TOKENS)
                .maxBatchTokens(2048).maxBatchWait(java.time.Duration.ofMillis(20)).build();
        server = ScoringServer.start(config, List.of(new ModelSource("prm", prmDir), new ModelSource("orm", ormDir),
                new ModelSource("nan-prm", nanDir)), Device.cpu());
        prm = ProcessRewardModel.load(prmDir, Device.cpu());
        orm = OutcomeRewardModel.load(ormDir, Device.cpu());
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (prm != null) {
            prm.close();
        }
        if (orm != null) {
            orm.close();
        }
    }

    private static String prmBody(String model, List<List<String>> solutions) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (List<String> steps : solutions) {
            items.add(Map.of("problem", PROBLEM, "steps", steps));
        }
        return Http.json(Map.of("model", model, "items", items));
    }

    @Test
    void stepWithSeparatorOrLoneSurrogateIs422() {
        Http.Response separator = http.post("/v1/prm/score", prmBody("prm", List.of(List.of("a", "b", "c <step> d"))));
        assertEquals(422, separator.status(), separator.body());
        assertEquals("items[0].steps[2] contains the step separator '<step>'; remove it from the step text",
                separator.json().get("error").textValue());

        Http.Response surrogate = http.post("/v1/prm/score_incremental", "{\"model\": \"prm\", \"items\":"
                + " [{\"problem\": \"p\", \"steps\": [\"\\ud800\"]}]}");
        assertEquals(422, surrogate.status(), surrogate.body());
        assertEquals("items[0].steps[0] is not valid UTF-16: it has an unpaired surrogate \\ud800 at character 0;"
                + " send valid Unicode text", surrogate.json().get("error").textValue());
    }

    private static float[] scores(JsonNode result) {
        float[] out = new float[result.get("step_scores").size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = result.get("step_scores").get(i).floatValue();
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + ": index " + i);
        }
    }

    @Test
    void prmScoresEqualTheModelsOwn() {
        StepSegmenter.Segment segment = prm.segmenter().segment(PROBLEM, STEPS);
        float[] expected = prm.scoreSegments(List.of(segment))[0];

        JsonNode result = http.post("/v1/prm/score", prmBody("prm", List.of(STEPS))).json().get("results").get(0);

        assertClose(expected, scores(result), 1e-6f, "step scores");
        assertEquals(segment.inputIds().length, result.get("computed_tokens").intValue());
        float spread = Math.abs(expected[0] - expected[1]) + Math.abs(expected[1] - expected[2]);
        assertTrue(spread > 1e-3, "fixture: the head must separate steps, scores " + java.util.Arrays.toString(expected));
    }

    @Test
    void ormScoresEqualTheModelsOwn() {
        List<String> answers = List.of("The answer is 30.", "It is 31, I think.");
        float[] expected = orm.scoreSegments(answers.stream()
                .map(answer -> orm.segmenter().segmentAnswer(PROBLEM, answer)).toList());
        List<Map<String, String>> items = answers.stream().map(a -> Map.of("problem", PROBLEM, "answer", a)).toList();

        JsonNode results = http.post("/v1/orm/score", Http.json(Map.of("items", items))).json().get("results");

        for (int i = 0; i < answers.size(); i++) {
            assertEquals(expected[i], results.get(i).get("score").floatValue(), 1e-6f, "answer " + i);
        }
    }

    @Test
    void scoresDoNotDependOnBatchComposition() {
        float[] alone = scores(http.post("/v1/prm/score", prmBody("prm", List.of(STEPS))).json()
                .get("results").get(0));

        List<List<String>> mixed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            mixed.add(List.of("Padding solution " + i + " " + "x".repeat(5 * i), "step " + i));
        }
        mixed.add(3, STEPS);
        List<CompletableFuture<Http.Response>> others = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            others.add(http.postAsync("/v1/prm/score", prmBody("prm", List.of(List.of("other " + "y".repeat(9 * i))))));
        }
        JsonNode busy = http.post("/v1/prm/score", prmBody("prm", mixed)).json().get("results");
        others.forEach(future -> assertEquals(200, Http.await(future).status()));

        JsonNode pair = http.post("/v1/prm/score", prmBody("prm", List.of(List.of("A much longer first solution "
                + "z".repeat(60)), STEPS))).json().get("results");

        assertEquals(8, busy.size());
        assertClose(alone, scores(busy.get(3)), 1e-5f, "alone versus inside a busy batch of 8");
        assertClose(alone, scores(pair.get(1)), 1e-5f, "alone versus batch of 2 with a longer partner");
        for (int i = 0; i < 8; i++) {
            assertEquals(mixed.get(i).size(), busy.get(i).get("step_scores").size(), "result " + i + " keeps its order");
        }
    }

    @Test
    void prefixReuseEqualsFullScoring() {
        String problem = "Prefix reuse: 2 + 3 * 4";
        List<String> steps = List.of("3 * 4 = 12.", "2 + 12 = 14.", "The answer is 14.");
        try (ScoringClient client = ScoringClient.builder(URI.create("http://127.0.0.1:" + server.port()))
                .model("prm").build()) {
            PrmItem partial = new PrmItem(problem, steps.subList(0, 1));
            PrmResult first = client.scorePrmIncremental(partial);
            PrmResult second = client.scorePrmIncremental(partial.withStep(steps.get(1)));
            PrmResult third = client.scorePrmIncremental(partial.withStep(steps.get(1)).withStep(steps.get(2)));
            PrmResult sibling = client.scorePrmIncremental(partial.withStep("2 + 12 = 15."));
            PrmResult full = client.scorePrm(List.of(new PrmItem(problem, steps))).get(0);

            int[] lengths = new int[3];
            for (int k = 0; k < 3; k++) {
                lengths[k] = prm.segmenter().segment(problem, steps.subList(0, k + 1)).inputIds().length;
            }
            assertEquals(lengths[0], first.computedTokens());
            assertEquals(0, first.reusedTokens());
            assertEquals(lengths[1] - lengths[0], second.computedTokens());
            assertEquals(lengths[0], second.reusedTokens());
            assertEquals(lengths[2] - lengths[1], third.computedTokens());
            assertEquals(lengths[1], third.reusedTokens());
            assertEquals(lengths[0], sibling.reusedTokens(), "a sibling step reuses the shared parent");
            assertClose(full.stepScores(), third.stepScores(), 1e-5f, "incremental versus full");
            assertEquals(full.firstErrorStep(), third.firstErrorStep());
        }
    }

    @Test
    void batchedIncrementalItemsCountTokensExactly() {
        String problem = "Batched reuse: 7 * 6 - 5";
        List<String> parent = List.of("7 * 6 = 42.");
        List<String> left = List.of("7 * 6 = 42.", "42 - 5 = 37.");
        List<String> right = List.of("7 * 6 = 42.", "42 - 5 = 36, checking again.");
        List<String> leftDeeper = List.of("7 * 6 = 42.", "42 - 5 = 37.", "The answer is 37.");
        List<String> otherProblem = List.of("Unrelated first step.", "Unrelated second step.");
        try (ScoringClient client = ScoringClient.builder(URI.create("http://127.0.0.1:" + server.port()))
                .model("prm").build()) {
            client.scorePrmIncremental(new PrmItem(problem, parent));
            // one request: two siblings of the cached parent, an item that extends the first sibling, an item with
            // nothing cached, a repeat of the second sibling and the parent itself
            List<PrmItem> items = List.of(new PrmItem(problem, left), new PrmItem(problem, right),
                    new PrmItem(problem, leftDeeper), new PrmItem("Another problem", otherProblem),
                    new PrmItem(problem, right), new PrmItem(problem, parent));
            List<PrmResult> incremental = client.scorePrmIncremental(items);
            List<PrmResult> full = client.scorePrm(items);

            int parentLength = length(problem, parent);
            int[] expectedReused = {parentLength, parentLength, length(problem, left), 0, length(problem, right),
                    parentLength};
            for (int i = 0; i < items.size(); i++) {
                int whole = length(items.get(i).problem(), items.get(i).steps());
                assertEquals(expectedReused[i], incremental.get(i).reusedTokens(), "reused tokens of item " + i);
                assertEquals(whole - expectedReused[i], incremental.get(i).computedTokens(),
                        "computed tokens of item " + i);
                assertClose(full.get(i).stepScores(), incremental.get(i).stepScores(), 1e-5f,
                        "incremental versus full, item " + i);
            }
        }
    }

    private static int length(String problem, List<String> steps) {
        return prm.segmenter().segment(problem, steps).inputIds().length;
    }

    @Test
    void poolingOnClientFormattedTextMatchesNativeRoute() {
        // The plain prompt format: problem, newline, then "step <step>" lines.
        String text = PROBLEM + "\n" + String.join("\n", STEPS.stream().map(s -> s + " <step>").toList());
        JsonNode rows = http.post("/pooling", Http.json(Map.of("model", "prm", "input", text))).json()
                .get("data").get(0).get("data");
        float[] expected = prm.scoreSegments(List.of(prm.segmenter().segment(PROBLEM, STEPS)))[0];

        assertEquals(3, rows.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k], rows.get(k).get(1).floatValue(), 1e-6f, "row " + k);
        }
    }

    @Test
    void clientScoresOrmAndPrm() {
        try (ScoringClient client = ScoringClient.create(URI.create("http://127.0.0.1:" + server.port()))) {
            List<OrmResult> outcomes = client.scoreOrm(List.of(new OrmItem(PROBLEM, "30"), new OrmItem(PROBLEM, "31")));
            assertEquals(2, outcomes.size());
            float[] expected = orm.scoreSegments(List.of(orm.segmenter().segmentAnswer(PROBLEM, "30"),
                    orm.segmenter().segmentAnswer(PROBLEM, "31")));
            assertEquals(expected[0], outcomes.get(0).score(), 1e-6f);
            assertEquals(expected[1], outcomes.get(1).score(), 1e-6f);
        }
    }

    @Test
    void nonFiniteModelScoreIsAnError() {
        Http.Response response = http.post("/v1/prm/score", prmBody("nan-prm", List.of(STEPS)));

        assertEquals(500, response.status(), response.body());
        assertEquals("non_finite_score", response.json().get("type").textValue());
        Http.Response incremental = http.post("/v1/prm/score_incremental", prmBody("nan-prm", List.of(STEPS)));
        assertEquals("non_finite_score", incremental.json().get("type").textValue());
        assertEquals(200, http.post("/v1/prm/score", prmBody("prm", List.of(STEPS))).status());
    }
}
