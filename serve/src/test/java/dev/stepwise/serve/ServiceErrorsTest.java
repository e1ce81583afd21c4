package dev.stepwise.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.serve.internal.HttpService;
import dev.stepwise.serve.internal.ScoringBackend;
import dev.stepwise.serve.internal.ScoringInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error kind of the service: status, type, and a JSON body that names the limit and the value. */
class ServiceErrorsTest {

    private static final ToyBackend PRM = ToyBackend.prm();
    private static final ToyBackend ORM = ToyBackend.orm();
    private static HttpService service;
    private static Http http;

    @BeforeAll
    static void start() {
        Map<String, ScoringBackend> backends = new LinkedHashMap<>();
        backends.put("toy-prm", PRM);
        backends.put("toy-orm", ORM);
        ServerConfig config = ServerConfig.builder().port(0).maxBodyBytes(4096).maxItemsPerRequest(4)
                .maxStepsPerItem(5).maxInputTokens(60).maxBatchTokens(200).maxBatchWait(java.time.Duration.ofMillis(20))
                .build();
        service = HttpService.start(config, backends);
        http = new Http(service.port());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonNode expectError(Http.Response response, int status, String type) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/json", response.header("content-type"));
        JsonNode body = response.json();
        assertEquals(type, body.get("type").textValue(), response.body());
        assertTrue(body.get("error").textValue().length() > 10, "the error message explains: " + response.body());
        return body;
    }

    private static String prmBody(String problem, List<String> steps) {
        return Http.json(Map.of("items", List.of(Map.of("problem", problem, "steps", steps))));
    }

    @Test
    void malformedJsonIs400() {
        expectError(http.post("/v1/prm/score", "{\"items\": ["), 400, "invalid_json");
        expectError(http.post("/v1/prm/score", ""), 400, "invalid_json");
        expectError(http.post("/v1/prm/score", "{\"items\": [], \"items\": []}"), 400, "invalid_json");
        expectError(http.post("/v1/prm/score", "{\"items\": []} trailing"), 400, "invalid_json");
    }

    @Test
    void formBodyIs415() {
        Http.Response response = http.send(http.request("/v1/prm/score")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(prmBody("15% of 200", List.of("a")))).build());
        expectError(response, 415, "unsupported_media_type");
    }

    @Test
    void missingContentTypeIsReadAsJson() {
        Http.Response response = http.send(http.request("/v1/prm/score")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(prmBody("15% of 200", List.of("a")))).build());
        assertEquals(200, response.status(), response.body());
    }

    @Test
    void nanLiteralIs400() {
        JsonNode body = expectError(http.post("/v1/prm/score",
                "{\"items\": [{\"problem\": \"p\", \"steps\": [NaN]}]}"), 400, "invalid_json");
        assertEquals("non-finite number NaN at line 1, column 39; JSON allows only finite numbers",
                body.get("error").textValue());
    }

    @Test
    void invalidJsonMessagesArePlain() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("{\"items\": [1, x]}", "invalid JSON at line 1, column 17: unrecognized token 'x'; expected a"
                + " JSON value (a string, number, array, object, true, false or null)");
        expected.put("{\"items\": [", "invalid JSON at line 1, column 12: the body ends before an array is closed"
                + " with ']'");
        expected.put("{\"items\": [], \"items\": []}", "invalid JSON at line 1, column 22: duplicate field 'items'");
        expected.put("{\"items\": []} {}", "invalid JSON at line 1, column 15: unexpected content after the JSON"
                + " value; send exactly one JSON object");
        expected.put("{\"items\" []}", "invalid JSON at line 1, column 10: unexpected character '['; was expecting"
                + " a colon to separate field name and value");
        expected.put("{\"a\": -Infinity}", "non-finite number -Infinity at line 1, column 7; JSON allows only finite"
                + " numbers");
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            JsonNode body = expectError(http.post("/v1/prm/score", entry.getKey()), 400, "invalid_json");
            assertEquals(entry.getValue(), body.get("error").textValue(), entry.getKey());
        }
    }

    @Test
    void chunkedBodyOverLimitIs413WithoutValue() {
        byte[] big = prmBody("p", List.of("x".repeat(5000))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpRequest request = http.request("/v1/prm/score").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big)))
                .build();

        JsonNode body = expectError(http.send(request), 413, "body_too_large");

        assertEquals(4096, body.get("limit").intValue());
        assertFalse(body.has("value"), body.toString());
        assertTrue(body.get("error").textValue().contains("exceeded the limit of 4096 bytes"), body.toString());
    }

    @Test
    void unknownPathsShareOneMetricLabel() {
        for (int i = 0; i < 3; i++) {
            expectError(http.get("/rand" + i), 404, "not_found");
        }

        String metrics = http.get("/metrics").body();

        assertFalse(metrics.contains("route=\"/rand"), metrics);
        assertTrue(metrics.contains("stepwise_requests_total{route=\"unmatched\"}"), metrics);
    }

    @Test
    void wrongShapesAre422() {
        expectError(http.post("/v1/prm/score", "[1, 2]"), 422, "invalid_request");
        expectError(http.post("/v1/prm/score", "{\"items\": {}}"), 422, "invalid_request");
        expectError(http.post("/v1/prm/score", "{\"items\": []}"), 422, "invalid_request");
        expectError(http.post("/v1/prm/score", "{\"items\": [{\"problem\": 5, \"steps\": [\"a\"]}]}"), 422,
                "invalid_request");
        expectError(http.post("/v1/prm/score", "{\"items\": [{\"problem\": \"p\", \"steps\": [1.5]}]}"), 422,
                "invalid_request");
        expectError(http.post("/v1/prm/score", "{\"items\": [{\"problem\": \"p\", \"steps\": \"a\"}]}"), 422,
                "invalid_request");
        expectError(http.post("/v1/prm/score", "{\"items\": [{\"problem\": \"p\", \"steps\": [\"a\"]}],"
                + " \"truncate\": \"yes\"}"), 422, "invalid_request");
        expectError(http.post("/v1/orm/score", "{\"items\": [{\"problem\": \"p\"}]}"), 422, "invalid_request");
    }

    @Test
    void messageNamesTheFieldPath() {
        JsonNode body = expectError(http.post("/v1/prm/score",
                "{\"items\": [{\"problem\": \"p\", \"steps\": [\"a\"]}, {\"problem\": \"p\", \"steps\": [\"a\", 7]}]}"),
                422, "invalid_request");
        assertTrue(body.get("error").textValue().contains("items[1].steps[1]"), body.toString());
    }

    @Test
    void emptyStepsAre422() {
        expectError(http.post("/v1/prm/score", prmBody("p", List.of())), 422, "invalid_request");
        expectError(http.post("/v1/prm/score", prmBody("p", List.of("a", " "))), 422, "invalid_request");
        expectError(http.post("/v1/orm/score", Http.json(Map.of("items", List.of(Map.of("problem", "p",
                "answer", ""))))), 422, "invalid_request");
    }

    @Test
    void unknownFieldIs422() {
        JsonNode body = expectError(http.post("/v1/prm/score",
                "{\"items\": [{\"problem\": \"p\", \"steps\": [\"a\"]}], \"truncation\": true}"), 422,
                "invalid_request");
        assertTrue(body.get("error").textValue().contains("truncation"), body.toString());
    }

    @Test
    void stepContainingSeparatorIs422() {
        JsonNode body = expectError(http.post("/v1/prm/score", prmBody("p", List.of("a", "b", "a <step> b"))), 422,
                "invalid_request");
        assertEquals("items[0].steps[2] contains the step separator '<step>'; remove it from the step text",
                body.get("error").textValue());
    }

    @Test
    void loneSurrogateIsInvalidText() {
        JsonNode body = expectError(http.post("/v1/prm/score",
                "{\"items\": [{\"problem\": \"p\", \"steps\": [\"a\", \"b\\ud800\"]}]}"), 422, "invalid_request");
        assertEquals("items[0].steps[1] is not valid UTF-16: it has an unpaired surrogate \\ud800 at character 1;"
                + " send valid Unicode text", body.get("error").textValue());

        JsonNode problem = expectError(http.post("/v1/prm/score",
                "{\"items\": [{\"problem\": \"\\udc00\", \"steps\": [\"a\"]}]}"), 422, "invalid_request");
        assertTrue(problem.get("error").textValue().startsWith("items[0].problem is not valid UTF-16"),
                problem.toString());

        Http.Response pair = http.post("/v1/prm/score",
                "{\"items\": [{\"problem\": \"p\", \"steps\": [\"\\ud83d\\ude00\"]}]}");
        assertEquals(200, pair.status(), pair.body());
    }

    @Test
    void cacheNamespaceIsOnlyForIncrementalRoute() {
        String withNamespace = "{\"cache_namespace\": \"run-1\", \"items\": [{\"problem\": \"p\","
                + " \"steps\": [\"a\"]}]}";
        assertEquals(200, http.post("/v1/prm/score_incremental", withNamespace).status());
        expectError(http.post("/v1/prm/score", withNamespace), 422, "invalid_request");
        expectError(http.post("/v1/prm/score_incremental", "{\"cache_namespace\": \"\", \"items\": [{\"problem\":"
                + " \"p\", \"steps\": [\"a\"]}]}"), 422, "invalid_request");
        expectError(http.post("/v1/prm/score_incremental", "{\"cache_namespace\": 3, \"items\": [{\"problem\":"
                + " \"p\", \"steps\": [\"a\"]}]}"), 422, "invalid_request");
    }

    @Test
    void bodyOverLimitIs413() {
        String big = "x".repeat(5000);
        JsonNode body = expectError(http.post("/v1/prm/score", prmBody("p", List.of(big))), 413, "body_too_large");
        assertEquals(4096, body.get("limit").intValue());
    }

    @Test
    void tooManyItemsIs413() {
        List<Map<String, Object>> items = Collections.nCopies(5, Map.of("problem", "p", "steps", List.of("a")));
        JsonNode body = expectError(http.post("/v1/prm/score", Http.json(Map.of("items", items))), 413,
                "too_many_items");
        assertEquals(4, body.get("limit").intValue());
        assertEquals(5, body.get("value").intValue());
    }

    @Test
    void tooManyStepsIs413() {
        JsonNode body = expectError(http.post("/v1/prm/score", prmBody("p", List.of("a", "b", "c", "d", "e", "f"))),
                413, "too_many_steps");
        assertEquals(5, body.get("limit").intValue());
        assertEquals(6, body.get("value").intValue());
    }

    @Test
    void tooManyTokensIs413() {
        List<String> steps = List.of("0123456789", "0123456789", "0123456789", "0123456789", "0123456789");
        int tokens = PRM.segmentSteps("p", steps).length();
        JsonNode body = expectError(http.post("/v1/prm/score", prmBody("p", steps)), 413, "too_many_tokens");
        assertEquals(60, body.get("limit").intValue());
        assertEquals(tokens, body.get("value").intValue());
        assertTrue(body.get("error").textValue().contains("items[0]"), body.toString());
    }

    @Test
    void truncationIsSameAloneAndInBatch() {
        // 2 + 4 * 12 = 50 tokens fit in 60; the fifth step would make 62.
        List<String> steps = List.of("0123456789a", "0123456789b", "0123456789c", "0123456789d", "0123456789e");
        String single = Http.json(Map.of("truncate", true, "items", List.of(Map.of("problem", "p", "steps", steps))));
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(Map.of("problem", "q", "steps", List.of("short")));
        items.add(Map.of("problem", "p", "steps", steps));
        String batch = Http.json(Map.of("truncate", true, "items", items));

        JsonNode alone = http.post("/v1/prm/score", single).json().get("results").get(0);
        JsonNode inBatch = http.post("/v1/prm/score", batch).json().get("results").get(1);

        for (JsonNode result : List.of(alone, inBatch)) {
            assertTrue(result.get("truncated").booleanValue());
            assertEquals(4, result.get("scored_steps").intValue());
            assertEquals(5, result.get("step_scores").size(), "one entry per step, scored or not");
            assertTrue(result.get("step_scores").get(4).isNull(), "an unscored step is null, never a made-up score");
            assertEquals("[4]", result.get("unscored_steps").toString());
        }
        assertEquals(alone.get("step_scores"), inBatch.get("step_scores"));
        ScoringInput kept = PRM.segmentSteps("p", steps.subList(0, 4));
        assertEquals(ToyBackend.expectedScore(kept.inputIds(), kept.scorePositions()[3]),
                alone.get("last").floatValue(), 0f);
    }

    @Test
    void truncationThatLeavesNothingIs413() {
        String body = Http.json(Map.of("truncate", true, "items", List.of(Map.of("problem", "p".repeat(70),
                "steps", List.of("a")))));
        expectError(http.post("/v1/prm/score", body), 413, "too_many_tokens");
    }

    @Test
    void ormAnswerOverLimitIs413() {
        expectError(http.post("/v1/orm/score", Http.json(Map.of("items", List.of(Map.of("problem", "p",
                "answer", "y".repeat(80)))))), 413, "too_many_tokens");
    }

    @Test
    void unknownModelIs404() {
        expectError(http.post("/v1/prm/score", "{\"model\": \"nope\", \"items\": [{\"problem\": \"p\","
                + " \"steps\": [\"a\"]}]}"), 404, "model_not_found");
    }

    @Test
    void ormModelOnPrmRouteIs422() {
        JsonNode body = expectError(http.post("/v1/prm/score", "{\"model\": \"toy-orm\", \"items\": [{\"problem\":"
                + " \"p\", \"steps\": [\"a\"]}]}"), 422, "wrong_model_kind");
        assertEquals("model 'toy-orm' is an ORM; this route needs a PRM. Loaded PRM models: [toy-prm]",
                body.get("error").textValue());

        JsonNode reverse = expectError(http.post("/v1/orm/score", "{\"model\": \"toy-prm\", \"items\":"
                + " [{\"problem\": \"p\", \"answer\": \"a\"}]}"), 422, "wrong_model_kind");
        assertTrue(reverse.get("error").textValue().startsWith("model 'toy-prm' is a PRM; this route needs an ORM."),
                reverse.toString());
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        expectError(http.get("/v2/nothing"), 404, "not_found");
        expectError(http.get("/v1/prm/score"), 405, "method_not_allowed");
    }

    @Test
    void poolingTokenIdOutOfVocabularyIs422() {
        expectError(http.post("/pooling", "{\"input\": [1, 2, 999]}"), 422, "invalid_request");
        expectError(http.post("/pooling", "{\"input\": [1, \"a\"]}"), 422, "invalid_request");
        expectError(http.post("/pooling", "{\"input\": []}"), 422, "invalid_request");
        expectError(http.post("/pooling", "{\"input\": \"a\", \"task\": \"embed\"}"), 422, "invalid_request");
    }

    @Test
    void predictMixedShapesAre422() {
        expectError(http.post("/predict", "{\"inputs\": [\"a\", [\"b\"]]}"), 422, "invalid_request");
        expectError(http.post("/predict", "{\"inputs\": [[\"a\", \"b\", \"c\"]]}"), 422, "invalid_request");
        expectError(http.post("/predict", "{\"inputs\": \"a\", \"raw_scores\": true}"), 422, "invalid_request");
    }

    @Test
    void predictTruncatesSingleAndBatchAlike() {
        String text = "z".repeat(70);
        JsonNode single = http.post("/predict", Http.json(Map.of("inputs", text, "truncate", true))).json();
        JsonNode batch = http.post("/predict", Http.json(Map.of("inputs", List.of(List.of(text), List.of("b")),
                "truncate", true))).json();
        assertEquals(single, batch.get(0));
        expectError(http.post("/predict", Http.json(Map.of("inputs", text))), 413, "too_many_tokens");
    }

    @Test
    void backendFailureReachesEveryRequestInBatch() {
        PRM.delayBatches(1000);
        try {
            // The first request occupies the model; the next three queue and run together as one batch.
            CompletableFuture<Http.Response> blocker = http.postAsync("/v1/prm/score", prmBody("p", List.of("wait")));
            sleep(300);
            List<CompletableFuture<Http.Response>> batch = List.of(
                    http.postAsync("/v1/prm/score", prmBody("p", List.of("fine"))),
                    http.postAsync("/v1/prm/score", prmBody("p", List.of("boom!"))),
                    http.postAsync("/v1/prm/score", prmBody("p", List.of("also fine"))));
            assertEquals(200, Http.await(blocker).status());
            for (CompletableFuture<Http.Response> future : batch) {
                expectError(Http.await(future), 500, "backend_error");
            }
            assertEquals(List.of(1, 3), PRM.batchSizes.subList(PRM.batchSizes.size() - 2, PRM.batchSizes.size()));
        } finally {
            PRM.delayBatches(0);
        }
        assertEquals(200, http.post("/v1/prm/score", prmBody("p", List.of("fine"))).status(),
                "the model keeps serving after a failed batch");
    }

    @Test
    void nonFiniteScoreIs500AndNeverWritten() {
        Http.Response response = http.post("/v1/prm/score", prmBody("p", List.of("a", "b~")));
        JsonNode body = expectError(response, 500, "non_finite_score");
        assertTrue(!body.has("results"), response.body());
        assertTrue(body.get("error").textValue().contains("item 0"), body.toString());
    }

    @Test
    void configRejectsBatchBudgetBelowInputLimit() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().maxInputTokens(512).maxBatchTokens(256).build());
        assertTrue(error.getMessage().contains("maxBatchTokens (256)"), error.getMessage());
        assertTrue(error.getMessage().contains("maxInputTokens (512)"), error.getMessage());
    }

    @Test
    void configRejectsBadValuesNamingThem() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().port(70000).build());
        assertTrue(port.getMessage().contains("70000"), port.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().requestTimeout(java.time.Duration.ZERO).build());
        assertTrue(timeout.getMessage().contains("requestTimeout"), timeout.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
