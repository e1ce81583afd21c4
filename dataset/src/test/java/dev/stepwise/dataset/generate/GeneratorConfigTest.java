package dev.stepwise.dataset.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.dataset.generate.internal.Backoff;
import dev.stepwise.dataset.generate.internal.OpenAiJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GeneratorConfigTest {

    @Test
    void baseUrlGetsV1WhenPathless() {
        assertEquals("http://127.0.0.1:8000/v1", GeneratorConfig.defaults("http://127.0.0.1:8000", "m").baseUrl().toString());
        assertEquals("http://127.0.0.1:8000/v1", GeneratorConfig.defaults("http://127.0.0.1:8000/v1/", "m").baseUrl().toString());
        assertEquals("https://127.0.0.1/api/v1", GeneratorConfig.defaults("https://127.0.0.1/api/v1", "m").baseUrl().toString());
    }

    @Test
    void badValuesAreRejectedWithValue() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> GeneratorConfig.defaults("ftp://127.0.0.1/v1", "m"));
        assertTrue(scheme.getMessage().contains("ftp://127.0.0.1/v1"), scheme.getMessage());

        GeneratorConfig config = GeneratorConfig.defaults("http://127.0.0.1:1/v1", "m");
        IllegalArgumentException concurrency = assertThrows(IllegalArgumentException.class,
                () -> config.withMaxConcurrency(0));
        assertTrue(concurrency.getMessage().contains("found: 0"), concurrency.getMessage());

        IllegalArgumentException backoff = assertThrows(IllegalArgumentException.class,
                () -> config.withRetries(2, Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertTrue(backoff.getMessage().contains("PT1S"), backoff.getMessage());

        IllegalArgumentException topP = assertThrows(IllegalArgumentException.class,
                () -> CompletionRequest.ofPrompt("x").withTopP(1.5));
        assertTrue(topP.getMessage().contains("1.5"), topP.getMessage());

        assertThrows(IllegalArgumentException.class, () -> CompletionRequest.ofPrompt("x").withStop(List.of("")));
    }

    @Test
    void retryAfterParsesSecondsAndDates() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(7)), Backoff.parseRetryAfter("7", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Backoff.parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), Backoff.parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now));
        assertEquals(Optional.empty(), Backoff.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), Backoff.parseRetryAfter(null, now));
    }

    @Test
    void nRejectionIsRecognised() {
        assertTrue(OpenAiJson.rejectsN("{\"error\": {\"message\": \"bad\", \"param\": \"n\"}}"));
        assertTrue(OpenAiJson.rejectsN("{\"detail\": [{\"loc\": [\"body\", \"n\"], \"msg\": \"too large\"}]}"));
        assertTrue(OpenAiJson.rejectsN("{\"error\": {\"code\": 400, \"message\": \"Only one completion choice is allowed\"}}"));
        assertTrue(!OpenAiJson.rejectsN("{\"error\": {\"message\": \"max_tokens is too large\", \"param\": \"max_tokens\"}}"));
    }

    @Test
    void jitterStaysUnderCeiling() {
        for (int retry = 0; retry < 50; retry++) {
            long millis = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofMillis(1000), retry).toMillis();
            long ceiling = Math.min(1000, 100L << Math.min(retry, 40));
            assertTrue(millis >= 0, "retry " + retry + " waited " + millis + " ms");
            assertTrue(millis <= ceiling, "retry " + retry + " waited " + millis + " ms, ceiling " + ceiling);
        }
    }
}
