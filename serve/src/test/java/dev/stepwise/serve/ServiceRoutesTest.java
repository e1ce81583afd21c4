package dev.stepwise.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.serve.internal.HttpService;
import dev.stepwise.serve.internal.ScoringInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route of the service against the toy backend, with exact expected values. */
class ServiceRoutesTest {

    private static final ToyBackend PRM = ToyBackend.prm();
    private static final ToyBackend ORM = ToyBackend.orm();
    private static HttpService service;
    private static Http http;

    @BeforeAll
    static void start() {
        Map<String, dev.stepwise.serve.internal.ScoringBackend> backends = new LinkedHashMap<>();
        backends.put("toy-prm", PRM);
        backends.put("toy-orm", ORM);
        service = HttpService.start(ServerConfig.builder().port(0).maxInputTokens(200).maxBatchTokens(1000).build(),
                backends);
        http = new Http(service.port());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static float[] expectedStepScores(String problem, List<String> steps) {
        ScoringInput input = PRM.segmentSteps(problem, steps);
        float[] scores = new float[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            scores[k] = ToyBackend.expectedScore(input.inputIds(), input.scorePositions()[k]);
        }
        return scores;
    }

    @Test
    void prmScoresEveryStepInOrder() {
        List<List<String>> solutions = List.of(
                List.of("15% is 0.15.", "200 x 0.15 = 30.", "So the answer is 30."),
                List.of("a"),
                List.of("x = 2", "y = 3"));
        List<Map<String, Object>> items = solutions.stream()
                .map(steps -> Map.<String, Object>of("problem", "What is 15% of 200?", "steps", steps)).toList();
        Http.Response response = http.post("/v1/prm/score", Http.json(Map.of("items", items)));

        assertEquals(200, response.status(), response.body());
        JsonNode results = response.json().get("results");
        assertEquals(3, results.size());
        for (int i = 0; i < solutions.size(); i++) {
            float[] expected = expectedStepScores("What is 15% of 200?", solutions.get(i));
            JsonNode result = results.get(i);
            assertEquals(expected.length, result.get("step_scores").size(), "step score count of item " + i);
            float min = 1;
            float product = 1;
            int firstError = -1;
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], result.get("step_scores").get(k).floatValue(), 0f, "item " + i + " step " + k);
                min = Math.min(min, expected[k]);
                product *= expected[k];
                if (firstError < 0 && expected[k] < 0.5) {
                    firstError = k;
                }
            }
            assertEquals(min, result.get("min").floatValue(), 0f);
            assertEquals(expected[expected.length - 1], result.get("last").floatValue(), 0f);
            assertEquals(product, result.get("product").floatValue(), 1e-6f);
            assertEquals(firstError, result.get("first_error_step").intValue());
            assertFalse(result.get("truncated").booleanValue());
            assertEquals(0, result.get("reused_tokens").intValue());
        }
        assertEquals("toy-prm", response.json().get("model").textValue());
        assertNotNull(response.header("x-inference-time"));
        assertNotNull(response.header("x-queue-time"));
        assertNotNull(response.header("x-tokenization-time"));
    }

    @Test
    void firstErrorStepIsFirstScoreUnderThreshold() {
        // '0' (48 % 7 = 6) pushes h up and 'a' (97 % 7 = 6) too; '#' (35 % 7 = 0) pushes it down.
        List<String> steps = List.of("000", "###", "000", "###");
        float[] expected = expectedStepScores("p", steps);
        int firstError = -1;
        for (int k = 0; k < expected.length && firstError < 0; k++) {
            if (expected[k] < 0.5f) {
                firstError = k;
            }
        }
        assertEquals(1, firstError, "fixture: step 1 must be the first one under 0.5");
        JsonNode result = http.post("/v1/prm/score",
                Http.json(Map.of("items", List.of(Map.of("problem", "p", "steps", steps))))).json().get("results").get(0);
        assertEquals(1, result.get("first_error_step").intValue());
    }

    @Test
    void incrementalScoringReusesPrefixAndMatchesFullScoring() {
        List<String> steps = List.of("first step", "second step");
        String one = Http.json(Map.of("items", List.of(Map.of("problem", "reuse", "steps", steps.subList(0, 1)))));
        String two = Http.json(Map.of("items", List.of(Map.of("problem", "reuse", "steps", steps))));

        JsonNode first = http.post("/v1/prm/score_incremental", one).json().get("results").get(0);
        JsonNode second = http.post("/v1/prm/score_incremental", two).json().get("results").get(0);
        JsonNode full = http.post("/v1/prm/score", two).json().get("results").get(0);

        ScoringInput prefix = PRM.segmentSteps("reuse", steps.subList(0, 1));
        ScoringInput whole = PRM.segmentSteps("reuse", steps);
        assertEquals(prefix.length(), first.get("computed_tokens").intValue());
        assertEquals(0, first.get("reused_tokens").intValue());
        assertEquals(whole.length() - prefix.length(), second.get("computed_tokens").intValue());
        assertEquals(prefix.length(), second.get("reused_tokens").intValue());
        for (int k = 0; k < 2; k++) {
            assertEquals(full.get("step_scores").get(k).floatValue(), second.get("step_scores").get(k).floatValue(),
                    1e-5f, "step " + k);
        }
    }

    @Test
    void ormScoreKeepsInputOrder() {
        List<String> answers = List.of("The answer is 30.", "It is 31.", "30");
        List<Map<String, String>> items = answers.stream().map(a -> Map.of("problem", "q", "answer", a)).toList();
        JsonNode results = http.post("/v1/orm/score", Http.json(Map.of("items", items))).json().get("results");

        assertEquals(3, results.size());
        for (int i = 0; i < answers.size(); i++) {
            ScoringInput input = ORM.segmentAnswer("q", answers.get(i));
            assertEquals(ToyBackend.expectedScore(input.inputIds(), input.length() - 1),
                    results.get(i).get("score").floatValue(), 0f, "answer " + i);
        }
    }

    @Test
    void poolingGivesOneRowPerStepTag() {
        // Token ids as in a vLLM request: tags at positions 2 and 5.
        long tag = ToyBackend.SEPARATOR_ID;
        long[] ids = {101, 7, tag, 9, 4, tag};
        JsonNode body = http.post("/pooling", Http.json(Map.of("input", ids, "task", "token_classify"))).json();

        JsonNode rows = body.get("data").get(0).get("data");
        assertEquals(2, rows.size());
        for (int r = 0; r < 2; r++) {
            float p = ToyBackend.expectedScore(ids, r == 0 ? 2 : 5);
            assertEquals(2, rows.get(r).size());
            assertEquals(1f - p, rows.get(r).get(0).floatValue(), 0f);
            assertEquals(p, rows.get(r).get(1).floatValue(), 0f);
        }
        assertEquals("list", body.get("object").textValue());
        assertEquals(6, body.get("usage").get("prompt_tokens").intValue());
    }

    @Test
    void poolingWithoutStepTagReturnsEmptyList() {
        int before = PRM.batchSizes.size();
        Http.Response response = http.post("/pooling", Http.json(Map.of("input", "no tags in this text")));

        assertEquals(200, response.status(), response.body());
        JsonNode rows = response.json().get("data").get(0).get("data");
        assertTrue(rows.isArray());
        assertEquals(0, rows.size());
        assertEquals(before, PRM.batchSizes.size(), "a text without tags must not reach the model");
    }

    @Test
    void poolingTextBatchKeepsOrder() {
        List<String> texts = List.of("a<step>", "bb<step>c<step>", "none");
        JsonNode data = http.post("/pooling", Http.json(Map.of("input", texts))).json().get("data");

        assertEquals(3, data.size());
        assertEquals(1, data.get(0).get("data").size());
        assertEquals(2, data.get(1).get("data").size());
        assertEquals(0, data.get(2).get("data").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, data.get(i).get("index").intValue());
        }
    }

    @Test
    void classifyScoresLastToken() {
        JsonNode entry = http.post("/classify", Http.json(Map.of("input", List.of("hello", "world.")))).json()
                .get("data").get(1);
        long[] ids = ORM.encode("world.");
        float p = ToyBackend.expectedScore(ids, ids.length - 1);
        assertEquals(1, entry.get("index").intValue());
        assertEquals(p, entry.get("probs").get(1).floatValue(), 0f);
        assertEquals(1f - p, entry.get("probs").get(0).floatValue(), 0f);
        assertEquals(2, entry.get("num_classes").intValue());
    }

    @Test
    void predictBatchOfThreeReturnsThreeInOrder() {
        List<String> texts = List.of("Butterflies are cute", "Where can I find the one piece?", "third");
        JsonNode body = http.post("/predict", Http.json(Map.of("inputs", texts))).json();

        assertEquals(3, body.size());
        for (int i = 0; i < 3; i++) {
            long[] ids = ORM.encode(texts.get(i));
            float p = ToyBackend.expectedScore(ids, ids.length - 1);
            JsonNode labels = body.get(i);
            assertEquals(2, labels.size());
            JsonNode positive = labels.get(0).get("label").textValue().equals("LABEL_1") ? labels.get(0) : labels.get(1);
            assertEquals(p, positive.get("score").floatValue(), 0f, "text " + i);
        }
    }

    @Test
    void predictPairsUseProblemAndAnswer() {
        JsonNode body = http.post("/predict", Http.json(Map.of("inputs", List.of(List.of("q", "answer 1"),
                List.of("q", "answer 2"))))).json();
        assertEquals(2, body.size());
        ScoringInput second = ORM.segmentAnswer("q", "answer 2");
        float p = ToyBackend.expectedScore(second.inputIds(), second.length() - 1);
        JsonNode labels = body.get(1);
        JsonNode positive = labels.get(0).get("label").textValue().equals("LABEL_1") ? labels.get(0) : labels.get(1);
        assertEquals(p, positive.get("score").floatValue(), 0f);
    }

    @Test
    void predictSingleTextReturnsFlatList() {
        JsonNode body = http.post("/predict", Http.json(Map.of("inputs", "one text"))).json();
        assertEquals(2, body.size());
        assertTrue(body.get(0).has("score"));
        assertTrue(body.get(0).get("score").floatValue() >= body.get(1).get("score").floatValue());
    }

    @Test
    void predictTwoStringsIsAmbiguous() {
        Http.Response response = http.post("/predict",
                Http.json(Map.of("inputs", List.of("Butterflies are cute", "Where can I find the one piece?"))));
        assertEquals(422, response.status());
        assertEquals("ambiguous_input", response.json().get("type").textValue());
    }

    @Test
    void modelsListsBothKinds() {
        JsonNode data = http.get("/v1/models").json().get("data");
        assertEquals(2, data.size());
        assertEquals("toy-prm", data.get(0).get("id").textValue());
        assertEquals("prm", data.get(0).get("kind").textValue());
        assertEquals("orm", data.get(1).get("kind").textValue());
        assertEquals(200, data.get(0).get("max_input_tokens").intValue());
    }

    @Test
    void healthReadyOpenApiAndMetrics() {
        assertEquals(200, http.get("/health").status());
        Http.Response ready = http.get("/ready");
        assertEquals(200, ready.status());
        assertEquals("ready", ready.json().get("status").textValue());

        JsonNode openApi = http.get("/openapi.json").json();
        assertEquals("3.1.0", openApi.get("openapi").textValue());
        for (String path : List.of("/v1/prm/score", "/v1/prm/score_incremental", "/v1/orm/score", "/pooling",
                "/classify", "/predict", "/v1/models", "/health", "/ready", "/metrics")) {
            assertTrue(openApi.get("paths").has(path), "OpenAPI lacks " + path);
        }

        http.post("/v1/prm/score", "{not json");
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("stepwise_requests_total{route=\"/v1/prm/score\"}"), metrics);
        assertTrue(metrics.contains("stepwise_errors_total{type=\"invalid_json\"}"), metrics);
        assertTrue(metrics.contains("stepwise_queue_depth{model=\"toy-prm\"} 0"), metrics);
        assertTrue(metrics.contains("stepwise_batch_items_bucket{le=\"+Inf\"}"), metrics);
        assertTrue(metrics.contains("stepwise_tokens_total{kind=\"computed\"}"), metrics);
        assertTrue(metrics.contains("stepwise_request_duration_seconds_count{route=\"/v1/prm/score\"}"), metrics);
    }
}
