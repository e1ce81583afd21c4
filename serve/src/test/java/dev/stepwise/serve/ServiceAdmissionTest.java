package dev.stepwise.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.serve.internal.HttpService;
import dev.stepwise.serve.internal.ScoringBackend;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Admission control, deadlines, disconnects, authentication and graceful shutdown, each on its own server. */
class ServiceAdmissionTest {

    private static HttpService start(ToyBackend backend, Consumer<ServerConfig.Builder> settings) {
        ServerConfig.Builder builder = ServerConfig.builder().port(0);
        settings.accept(builder);
        return HttpService.start(builder.build(), Map.<String, ScoringBackend>of("toy", backend));
    }

    private static String prmBody(String step) {
        return Http.json(Map.of("items", List.of(Map.of("problem", "p", "steps", List.of(step)))));
    }

    @Test
    void requestsPastConcurrencyLimitGet429() {
        ToyBackend backend = ToyBackend.prm();
        backend.delayBatches(1200);
        try (HttpService service = start(backend, b -> b.maxConcurrentRequests(2))) {
            Http http = new Http(service.port());
            List<CompletableFuture<Http.Response>> first = List.of(http.postAsync("/v1/prm/score", prmBody("a")),
                    http.postAsync("/v1/prm/score", prmBody("b")));
            sleep(400);
            Http.Response rejected = http.post("/v1/prm/score", prmBody("c"));

            assertEquals(429, rejected.status(), rejected.body());
            assertEquals("overloaded", rejected.json().get("type").textValue());
            assertEquals("1", rejected.header("Retry-After"));
            assertEquals(2, rejected.json().get("limit").intValue());
            for (CompletableFuture<Http.Response> future : first) {
                assertEquals(200, Http.await(future).status());
            }
            assertEquals(0, service.requestsInFlight());
        }
    }

    @Test
    void fullQueueGets429() {
        ToyBackend backend = ToyBackend.prm();
        try (HttpService service = start(backend, b -> b.maxQueuedItems(3))) {
            List<Map<String, Object>> items = Collections.nCopies(4, Map.of("problem", "p", "steps", List.of("a")));
            Http.Response response = new Http(service.port()).post("/v1/prm/score", Http.json(Map.of("items", items)));

            assertEquals(429, response.status(), response.body());
            assertEquals("overloaded", response.json().get("type").textValue());
            assertEquals("1", response.header("Retry-After"));
            assertEquals(3, response.json().get("limit").intValue());
        }
    }

    @Test
    void requestPastDeadlineGets504() {
        ToyBackend backend = ToyBackend.prm();
        backend.delayBatches(700);
        try (HttpService service = start(backend, b -> b.requestTimeout(Duration.ofMillis(200)))) {
            Http http = new Http(service.port());
            Http.Response response = http.post("/v1/prm/score", prmBody("slow"));

            assertEquals(504, response.status(), response.body());
            assertEquals("timeout", response.json().get("type").textValue());
            backend.delayBatches(0);
            sleep(700);
            assertEquals(200, http.post("/v1/prm/score", prmBody("fast")).status());
            assertEquals(0, service.requestsInFlight());
        }
    }

    @Test
    void disconnectedClientIsDroppedFromQueue() throws Exception {
        ToyBackend backend = ToyBackend.prm();
        backend.delayBatches(1500);
        try (HttpService service = start(backend, b -> { })) {
            Http http = new Http(service.port());
            CompletableFuture<Http.Response> blocker = http.postAsync("/v1/prm/score", prmBody("blocker"));
            sleep(300);
            String body = prmBody("gone");
            try (Socket socket = new Socket("127.0.0.1", service.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/prm/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                sleep(300);
            }
            assertEquals(200, Http.await(blocker).status());
            sleep(100);

            assertEquals(List.of(1), new ArrayList<>(backend.batchSizes), "only the blocker reached the model");
            assertEquals(0, service.requestsInFlight());
            assertTrue(http.get("/metrics").body().contains("stepwise_errors_total{type=\"client_closed\"} 1"));
        }
    }

    @Test
    void apiKeyGuardsEveryRouteButHealth() {
        try (HttpService service = start(ToyBackend.prm(), b -> b.apiKey("s3cret"))) {
            Http anonymous = new Http(service.port());
            Http wrong = new Http(service.port()).withApiKey("guess");
            Http valid = new Http(service.port()).withApiKey("s3cret");

            Http.Response missing = anonymous.post("/v1/prm/score", prmBody("a"));
            assertEquals(401, missing.status());
            assertEquals("unauthorized", missing.json().get("type").textValue());
            assertEquals("Bearer", missing.header("WWW-Authenticate"));
            assertEquals(401, wrong.post("/v1/prm/score", prmBody("a")).status());
            assertEquals(401, anonymous.get("/metrics").status());
            assertEquals(401, anonymous.get("/v1/models").status());
            assertEquals(200, valid.post("/v1/prm/score", prmBody("a")).status());
            assertEquals(200, anonymous.get("/health").status());
            assertEquals(200, anonymous.get("/ready").status());
        }
    }

    @Test
    void shutdownFinishesInFlightAndRejectsNew() {
        ToyBackend backend = ToyBackend.prm();
        backend.delayBatches(1500);
        HttpService service = start(backend, b -> b.shutdownTimeout(Duration.ofSeconds(10)));
        Http http = new Http(service.port());
        CompletableFuture<Http.Response> inFlight = http.postAsync("/v1/prm/score", prmBody("running"));
        sleep(400);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
        sleep(300);

        Http.Response rejected = http.post("/v1/prm/score", prmBody("late"));
        assertEquals(503, rejected.status(), rejected.body());
        assertEquals("shutting_down", rejected.json().get("type").textValue());
        assertEquals(503, http.get("/ready").status());
        Http.Response finished = Http.await(inFlight);
        assertEquals(200, finished.status(), finished.body());
        JsonNode result = finished.json().get("results").get(0);
        assertEquals(1, result.get("step_scores").size());
        closing.join();
    }

    @Test
    void portInUseFailsNamingAddress() {
        try (HttpService first = start(ToyBackend.prm(), b -> { })) {
            java.io.UncheckedIOException error = org.junit.jupiter.api.Assertions.assertThrows(
                    java.io.UncheckedIOException.class, () -> start(ToyBackend.prm(), b -> b.port(first.port())));
            assertTrue(error.getMessage().contains("127.0.0.1:" + first.port()), error.getMessage());
            assertEquals(200, new Http(first.port()).get("/health").status());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
