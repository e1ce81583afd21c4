package dev.stepwise.dataset.generate.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Retry waits: exponential back-off with full jitter, and {@code Retry-After} parsing. */
public final class Backoff {

    private Backoff() {
    }

    /**
     * Returns a uniform random wait in [0, min(max, base * 2^retryIndex)], the "full jitter" scheme,
     * so clients that failed together do not retry together.
     *
     * @param retryIndex 0 for the first retry
     */
    public static Duration fullJitter(Duration base, Duration max, int retryIndex) {
        long ceilingMillis = ceilingMillis(base.toMillis(), max.toMillis(), retryIndex);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceilingMillis + 1));
    }

    static long ceilingMillis(long baseMillis, long maxMillis, int retryIndex) {
        int shift = Math.min(retryIndex, 40);
        long scaled = baseMillis << shift;
        if (scaled < 0 || (scaled >> shift) != baseMillis) {
            return maxMillis;
        }
        return Math.min(maxMillis, scaled);
    }

    /**
     * Parses a {@code Retry-After} header value: either delay seconds or an HTTP date (RFC 1123).
     * A date in the past gives zero. Returns empty for a missing or unparseable value.
     */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Instant until = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, until);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
