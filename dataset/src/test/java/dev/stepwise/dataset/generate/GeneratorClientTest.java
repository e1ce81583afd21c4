package dev.stepwise.dataset.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.dataset.generate.GenerationException.Reason;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeneratorClientTest {

    /** Echoes the effective seed and the last prompt word, so every text shows which sample it is. */
    private static final GenerationScript ECHO = call -> {
        String[] words = call.prompt().strip().split("\\s+");
        return GenerationScript.Result.stop("seed " + call.seed() + " after " + words[words.length - 1]);
    };

    private ScriptedGeneratorServer server;

    @BeforeEach
    void startServer() {
        server = ScriptedGeneratorServer.start("policy", ECHO);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private GeneratorConfig fastConfig() {
        return GeneratorConfig.defaults(server.baseUrl(), "policy")
                .withTimeout(Duration.ofMillis(1500))
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(40));
    }

    private static List<String> texts(List<Completion> completions) {
        return completions.stream().map(Completion::text).toList();
    }

    @Test
    void nSupportedReturnsSeededChoices() {
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            List<Completion> completions = client.complete(CompletionRequest.ofPrompt("two plus two").withN(3).withSeed(10L));

            assertEquals(List.of("seed 10 after two", "seed 11 after two", "seed 12 after two"), texts(completions));
            assertEquals(List.of("stop", "stop", "stop"), completions.stream().map(Completion::finishReason).toList());
            assertFalse(client.nUnsupported());
            assertEquals(1, server.completionRequests());
            // 3 prompt pieces, 4 pieces per choice.
            assertEquals(3, completions.get(0).promptTokens());
            assertEquals(4, completions.get(2).completionTokens());
            assertEquals(3 + 12, client.tokensUsed());
        }
    }

    @Test
    void nRejectedFallsBackToSingleRequests() {
        server.setNSupported(false);
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            List<Completion> first = client.complete(CompletionRequest.ofPrompt("two plus two").withN(3).withSeed(10L));

            assertEquals(List.of("seed 10 after two", "seed 11 after two", "seed 12 after two"), texts(first));
            assertTrue(client.nUnsupported());
            assertEquals(1 + 3, server.completionRequests());

            client.complete(CompletionRequest.ofPrompt("again").withN(2).withSeed(0L));
            assertEquals(1 + 3 + 2, server.completionRequests(), "the client remembers and no longer sends n > 1");
            assertEquals(3 * 3 + 12 + 2 + 8, client.tokensUsed());
        }
    }

    @Test
    void chatEndpointSendsMessages() {
        GeneratorConfig config = fastConfig().withEndpoint(GeneratorConfig.Endpoint.CHAT);
        try (GeneratorClient client = new GeneratorClient(config)) {
            List<Completion> chat = client.complete(CompletionRequest.ofChat(
                    List.of(ChatMessage.system("be brief"), ChatMessage.user("what is six"))).withSeed(5L));
            List<Completion> prompt = client.complete(CompletionRequest.ofPrompt("what is seven").withSeed(5L));

            assertEquals(List.of("seed 5 after six"), texts(chat));
            assertEquals(List.of("seed 5 after seven"), texts(prompt));
            assertEquals(2 + 3, chat.get(0).promptTokens());
        }
    }

    @Test
    void chatOnCompletionsEndpointIsRejected() {
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            CompletionRequest chat = CompletionRequest.ofChat(List.of(ChatMessage.user("hi")));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> client.complete(chat));
            assertTrue(error.getMessage().contains("endpoint CHAT"), error.getMessage());
        }
    }

    @Test
    void stopSequenceCutsText() {
        server.close();
        server = ScriptedGeneratorServer.start("policy", call -> GenerationScript.Result.stop("a = 1\n\nb = 2\n\nanswer 3"));
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            Completion step = client.complete(CompletionRequest.ofPrompt("x").withStop(List.of("\n\n"))).get(0);
            Completion capped = client.complete(CompletionRequest.ofPrompt("x").withMaxTokens(4)).get(0);
            Completion whole = client.complete(CompletionRequest.ofPrompt("x")).get(0);

            assertEquals("a = 1", step.text());
            assertEquals("stop", step.finishReason());
            assertEquals("a = 1\n\nb", capped.text());
            assertEquals("length", capped.finishReason());
            assertEquals("a = 1\n\nb = 2\n\nanswer 3", whole.text());
        }
    }

    @Test
    void rateLimitHonoursRetryAfterSeconds() {
        server.injectFaults(1, Fault.rateLimited(Duration.ofSeconds(1)));
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            long started = System.nanoTime();
            List<Completion> completions = client.complete(CompletionRequest.ofPrompt("one").withSeed(1L));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(List.of("seed 1 after one"), texts(completions));
            assertEquals(2, server.completionRequests());
            assertEquals(1, client.retriesMade());
            assertTrue(waitedMillis >= 1000, "waited " + waitedMillis + " ms, Retry-After asked for 1000 ms");
        }
    }

    @Test
    void rateLimitHonoursRetryAfterDate() {
        // An HTTP date has whole seconds, so the wait is between 0 and 2 s; a date in the past means no wait.
        server.injectFaults(1, Fault.rateLimitedUntil(Instant.now().minusSeconds(5)));
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            assertEquals(List.of("seed 0 after one"), texts(client.complete(CompletionRequest.ofPrompt("one"))));
            assertEquals(1, client.retriesMade());
        }
    }

    @Test
    void rateLimitBeyondBudgetFails() {
        server.injectFaults(10, Fault.rateLimited());
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            GenerationException error = assertThrows(GenerationException.class,
                    () -> client.complete(CompletionRequest.ofPrompt("one")));

            assertEquals(Reason.RATE_LIMITED, error.reason());
            assertEquals(4, error.attempts());
            assertEquals(429, error.httpStatus());
            assertEquals(4, server.completionRequests());
        }
    }

    @Test
    void serverErrorsAreRetried() {
        server.injectFaults(2, Fault.serverError());
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            assertEquals(List.of("seed 0 after one"), texts(client.complete(CompletionRequest.ofPrompt("one"))));
            assertEquals(3, server.completionRequests());
            assertEquals(2, client.retriesMade());
        }
    }

    @Test
    void serverErrorBeyondBudgetFails() {
        server.injectFaults(4, Fault.serverError());
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            GenerationException error = assertThrows(GenerationException.class,
                    () -> client.complete(CompletionRequest.ofPrompt("one")));

            assertEquals(Reason.SERVER_ERROR, error.reason());
            assertEquals(500, error.httpStatus());
            assertTrue(error.getMessage().contains("after 4 attempts"), error.getMessage());
        }
    }

    @Test
    void slowResponseTimesOutAndRetries() {
        server.injectFaults(1, Fault.delay(Duration.ofMillis(3000)));
        try (GeneratorClient client = new GeneratorClient(fastConfig())) {
            assertEquals(List.of("seed 0 after one"), texts(client.complete(CompletionRequest.ofPrompt("one"))));
            assertEquals(2, server.completionRequests());
            assertEquals(1, client.retriesMade());
        }
    }

    @Test
    void slowResponsesBeyondBudgetFail() {
        server.injectFaults(2, Fault.delay(Duration.ofMillis(3000)));
        GeneratorConfig config = fastConfig().withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10));
        try (GeneratorClient client = new GeneratorClient(config)) {
            GenerationException error = assertThrows(GenerationException.class,
                    () -> client.complete(CompletionRequest.ofPrompt("one")));

            assertEquals(Reason.TIMEOUT, error.reason());
            assertEquals(2, error.attempts());
            assertEquals(-1, error.httpStatus());
        }
    }

    @Test
    void wrongModelFailsWithoutRetry() {
        GeneratorConfig config = GeneratorConfig.defaults(server.baseUrl(), "other-model");
        try (GeneratorClient client = new GeneratorClient(config)) {
            GenerationException error = assertThrows(GenerationException.class,
                    () -> client.complete(CompletionRequest.ofPrompt("one")));

            assertEquals(Reason.NOT_FOUND, error.reason());
            assertEquals(1, error.attempts());
            assertTrue(error.getMessage().contains("other-model"), error.getMessage());
        }
    }

    @Test
    void apiKeyComesFromEnvironment() {
        server.requireApiKey("sk-test-123");
        GeneratorConfig config = fastConfig().withApiKeyEnv("POLICY_API_KEY");
        try (GeneratorClient client = new GeneratorClient(config, Map.of("POLICY_API_KEY", "sk-test-123")::get)) {
            assertEquals(List.of("seed 0 after one"), texts(client.complete(CompletionRequest.ofPrompt("one"))));
        }
        try (GeneratorClient client = new GeneratorClient(config, Map.of("POLICY_API_KEY", "sk-wrong")::get)) {
            GenerationException error = assertThrows(GenerationException.class,
                    () -> client.complete(CompletionRequest.ofPrompt("one")));
            assertEquals(Reason.UNAUTHORIZED, error.reason());
            assertFalse(error.getMessage().contains("sk-wrong"), "the key must not appear in errors");
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new GeneratorClient(config, Map.<String, String>of()::get));
        assertTrue(missing.getMessage().contains("POLICY_API_KEY"), missing.getMessage());
    }

    @Test
    void modelsEndpointListsModel() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> response = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/models")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("{\"object\":\"list\",\"data\":[{\"id\":\"policy\",\"object\":\"model\",\"owned_by\":\"stepwise\"}]}",
                response.body());
    }

    @Test
    void invalidJsonGetsBadRequest() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> response = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/completions"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\": \"policy\", \"prompt\":"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"type\":\"invalid_request_error\""), response.body());
    }

    @Test
    void concurrentCallsAllSucceed() throws Exception {
        GeneratorConfig config = fastConfig().withMaxConcurrency(2);
        try (GeneratorClient client = new GeneratorClient(config)) {
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.ConcurrentHashMap<Long, String> texts = new java.util.concurrent.ConcurrentHashMap<>();
            for (long seed = 0; seed < 8; seed++) {
                long requestSeed = seed;
                Thread thread = new Thread(() -> texts.put(requestSeed,
                        client.complete(CompletionRequest.ofPrompt("go").withSeed(requestSeed)).get(0).text()));
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(8, texts.size());
            assertEquals("seed 7 after go", texts.get(7L));
            assertEquals(8, server.completionRequests());
        }
    }
}
