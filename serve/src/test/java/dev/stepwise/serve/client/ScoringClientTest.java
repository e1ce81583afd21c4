package dev.stepwise.serve.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.serve.ServerConfig;
import dev.stepwise.serve.internal.HttpService;
import dev.stepwise.serve.internal.ScoringBackend;
import dev.stepwise.serve.internal.ScoringInput;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client against a real server: retries on 429 after Retry-After, typed errors, results in order. */
class ScoringClientTest {

    /** Scores every step 0.25 and every answer 0.75 after a fixed delay per batch. */
    private static final class SlowConstantBackend implements ScoringBackend {
        private final Kind kind;
        private final long delayMillis;

        SlowConstantBackend(Kind kind, long delayMillis) {
            this.kind = kind;
            this.delayMillis = delayMillis;
        }

        @Override public Kind kind() { return kind; }
        @Override public int maxTokens() { return 1000; }
        @Override public int vocabSize() { return 256; }
        @Override public double threshold() { return 0.5; }
        @Override public long[] encode(String text) { return text.chars().mapToLong(c -> c & 0xFF).toArray(); }
        @Override public OptionalLong stepSeparatorId() { return OptionalLong.of(10); }
        @Override public PrefixState newPrefixState() { throw new UnsupportedOperationException("not used here"); }
        @Override public void close() { }

        @Override
        public ScoringInput segmentSteps(String problem, List<String> steps) {
            long[] ids = encode(problem + "\n" + String.join("\n", steps) + "\n");
            int[] positions = java.util.stream.IntStream.range(0, ids.length).filter(i -> ids[i] == 10).skip(1).toArray();
            return new ScoringInput(ids, positions, steps.size(), false);
        }

        @Override
        public ScoringInput segmentAnswer(String problem, String answer) {
            long[] ids = encode(problem + answer);
            return new ScoringInput(ids, new int[] {ids.length - 1}, 1, false);
        }

        @Override
        public float[][] score(List<ScoringInput> batch) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[][] out = new float[batch.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new float[batch.get(i).scorePositions().length];
                java.util.Arrays.fill(out[i], kind == Kind.PRM ? 0.25f : 0.75f);
            }
            return out;
        }
    }

    private static HttpService start(int maxConcurrent, long delayMillis) {
        return HttpService.start(ServerConfig.builder().port(0).maxConcurrentRequests(maxConcurrent).maxStepsPerItem(4)
                .build(), Map.of("prm", new SlowConstantBackend(ScoringBackend.Kind.PRM, delayMillis),
                "orm", new SlowConstantBackend(ScoringBackend.Kind.ORM, delayMillis)));
    }

    @Test
    void retriesOverloadedCallAfterRetryAfter() {
        try (HttpService service = start(1, 300);
                ScoringClient client = ScoringClient.builder(URI.create("http://127.0.0.1:" + service.port()))
                        .model("prm").maxAttempts(5).build()) {
            List<PrmItem> items = List.of(new PrmItem("p", List.of("a", "b")));
            CompletableFuture<List<PrmResult>> first = CompletableFuture.supplyAsync(() -> client.scorePrm(items));
            CompletableFuture<List<PrmResult>> second = CompletableFuture.supplyAsync(() -> client.scorePrm(items));

            for (List<PrmResult> results : List.of(first.join(), second.join())) {
                assertEquals(1, results.size());
                assertEquals(0.25f, results.get(0).stepScores()[1]);
                assertEquals(2, results.get(0).stepCount());
                assertEquals(0, results.get(0).firstErrorStep());
            }
        }
    }

    @Test
    void overloadedWithoutRetriesThrows() {
        try (HttpService service = start(1, 1500);
                ScoringClient client = ScoringClient.builder(URI.create("http://127.0.0.1:" + service.port()))
                        .model("prm").maxAttempts(1).build()) {
            List<PrmItem> items = List.of(new PrmItem("p", List.of("a")));
            CompletableFuture<List<PrmResult>> running = CompletableFuture.supplyAsync(() -> client.scorePrm(items));
            sleep(400);
            ScoringException error = assertThrows(ScoringException.class, () -> client.scorePrm(items));
            assertEquals(429, error.status());
            assertEquals("overloaded", error.type());
            assertEquals(1, running.join().size());
        }
    }

    @Test
    void serverRejectionBecomesTypedException() {
        try (HttpService service = start(8, 0);
                ScoringClient client = ScoringClient.create(URI.create("http://127.0.0.1:" + service.port()))) {
            ScoringException error = assertThrows(ScoringException.class,
                    () -> client.scorePrm(List.of(new PrmItem("p", List.of("1", "2", "3", "4", "5")))));
            assertEquals(413, error.status());
            assertEquals("too_many_steps", error.type());
            assertTrue(error.getMessage().contains("limit of 4"), error.getMessage());
        }
    }

    @Test
    void ormResultsComeBackInOrder() {
        try (HttpService service = start(8, 0);
                ScoringClient client = ScoringClient.create(URI.create("http://127.0.0.1:" + service.port()))) {
            List<OrmResult> results = client.scoreOrm(List.of(new OrmItem("p", "a"), new OrmItem("p", "bb"),
                    new OrmItem("p", "ccc")));
            assertEquals(3, results.size());
            assertEquals(2, results.get(0).computedTokens());
            assertEquals(3, results.get(1).computedTokens());
            assertEquals(4, results.get(2).computedTokens());
            assertEquals(0.75f, results.get(2).score());
        }
    }

    @Test
    void unreachableServerIsConnectionFailure() {
        ScoringClient client = ScoringClient.builder(URI.create("http://127.0.0.1:1")).requestTimeout(
                Duration.ofSeconds(2)).build();
        ScoringException error = assertThrows(ScoringException.class,
                () -> client.scoreOrm(List.of(new OrmItem("p", "a"))));
        assertEquals(0, error.status());
        assertEquals("connection_failed", error.type());
        assertTrue(error.getMessage().startsWith("request to http://127.0.0.1:1/v1/orm/score failed: java.net."),
                error.getMessage());
        assertFalse(error.getMessage().endsWith("null"), error.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
