package dev.stepwise.serve.internal;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters, gauges and histograms of the service, written in the Prometheus text exposition format (version 0.0.4).
 * Thread-safe: every value is a {@link LongAdder} or read from a supplier.
 */
public final class Metrics {

    private static final double[] LATENCY_BUCKETS_SECONDS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    private static final double[] BATCH_TOKEN_BUCKETS = {64, 256, 1024, 2048, 4096, 8192, 16384, 32768, 65536};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, Histogram> requestSeconds = new ConcurrentHashMap<>();
    private final Histogram inferenceSeconds = new Histogram(LATENCY_BUCKETS_SECONDS);
    private final Histogram batchItems = new Histogram(BATCH_SIZE_BUCKETS);
    private final Histogram batchPaddedTokens = new Histogram(BATCH_TOKEN_BUCKETS);
    private final LongAdder computedTokens = new LongAdder();
    private final LongAdder reusedTokens = new LongAdder();
    private final LongAdder paddingTokens = new LongAdder();
    private final Map<String, IntSupplier> queueDepths = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.LongSupplier> prefixCacheBytes = new ConcurrentHashMap<>();
    private volatile IntSupplier inFlight = () -> 0;

    /** Counts one request to {@code route} (its path). */
    public void countRequest(String route) {
        requests.computeIfAbsent(route, key -> new LongAdder()).increment();
    }

    /** Counts one error response of {@code type}. */
    public void countError(ErrorType type) {
        errors.computeIfAbsent(type.wireName(), key -> new LongAdder()).increment();
    }

    /** Records the time from arrival to response of a request to {@code route}. */
    public void observeRequest(String route, long nanos) {
        requestSeconds.computeIfAbsent(route, key -> new Histogram(LATENCY_BUCKETS_SECONDS)).observe(nanos / 1e9);
    }

    /** Records one forward pass: its duration, its items and its tokens with padding. */
    public void observeBatch(long nanos, int items, long realTokens, long paddedTokens) {
        inferenceSeconds.observe(nanos / 1e9);
        batchItems.observe(items);
        batchPaddedTokens.observe(paddedTokens);
        paddingTokens.add(paddedTokens - realTokens);
    }

    /** Counts tokens the model ran and tokens taken from the prefix cache. */
    public void countTokens(long computed, long reused) {
        computedTokens.add(computed);
        reusedTokens.add(reused);
    }

    public void registerQueue(String model, IntSupplier depth) {
        queueDepths.put(model, depth);
    }

    public void registerPrefixCache(String model, java.util.function.LongSupplier bytes) {
        prefixCacheBytes.put(model, bytes);
    }

    public void registerInFlight(IntSupplier requestsInFlight) {
        this.inFlight = requestsInFlight;
    }

    /** Renders all metrics in the Prometheus text format. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "stepwise_requests_total", "counter", "Requests received, by route.");
        requests.forEach((route, count) -> sample(out, "stepwise_requests_total", "route", route, count.sum()));
        header(out, "stepwise_errors_total", "counter", "Error responses, by error type.");
        errors.forEach((type, count) -> sample(out, "stepwise_errors_total", "type", type, count.sum()));
        header(out, "stepwise_requests_in_flight", "gauge", "Scoring requests admitted and not yet answered.");
        out.append("stepwise_requests_in_flight ").append(inFlight.getAsInt()).append('\n');
        header(out, "stepwise_queue_depth", "gauge", "Items waiting for the model, by model.");
        queueDepths.forEach((model, depth) -> sample(out, "stepwise_queue_depth", "model", model, depth.getAsInt()));
        header(out, "stepwise_prefix_cache_bytes", "gauge", "Memory held by the prefix key/value cache, by model.");
        prefixCacheBytes.forEach((model, bytes) ->
                sample(out, "stepwise_prefix_cache_bytes", "model", model, bytes.getAsLong()));
        header(out, "stepwise_tokens_total", "counter", "Tokens by origin: computed by the model or reused from the"
                + " prefix cache; padding counts padded positions in batches.");
        sample(out, "stepwise_tokens_total", "kind", "computed", computedTokens.sum());
        sample(out, "stepwise_tokens_total", "kind", "reused", reusedTokens.sum());
        sample(out, "stepwise_tokens_total", "kind", "padding", paddingTokens.sum());
        header(out, "stepwise_request_duration_seconds", "histogram", "Time from arrival to response, by route.");
        requestSeconds.forEach((route, histogram) ->
                histogram.render(out, "stepwise_request_duration_seconds", "route=\"" + escape(route) + "\""));
        header(out, "stepwise_inference_duration_seconds", "histogram", "Time of one forward pass of a batch.");
        inferenceSeconds.render(out, "stepwise_inference_duration_seconds", "");
        header(out, "stepwise_batch_items", "histogram", "Items per batch.");
        batchItems.render(out, "stepwise_batch_items", "");
        header(out, "stepwise_batch_padded_tokens", "histogram", "Tokens per batch, padding included.");
        batchPaddedTokens.render(out, "stepwise_batch_padded_tokens", "");
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String label, String value, long count) {
        out.append(name).append('{').append(label).append("=\"").append(escape(value)).append("\"} ").append(count)
                .append('\n');
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    /** A cumulative histogram with fixed upper bounds. */
    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final LongAdder total = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            total.increment();
            sum.add(value);
        }

        void render(StringBuilder out, String name, String labels) {
            String prefix = labels.isEmpty() ? "" : labels + ",";
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{").append(prefix).append("le=\"").append(format(bounds[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_bucket{").append(prefix).append("le=\"+Inf\"} ").append(total.sum()).append('\n');
            out.append(name).append("_sum").append(braces).append(' ').append(format(sum.sum())).append('\n');
            out.append(name).append("_count").append(braces).append(' ').append(total.sum()).append('\n');
        }
    }
}
