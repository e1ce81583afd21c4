package dev.stepwise.serve;

import java.time.Duration;

/**
 * Settings of a {@link ScoringServer}. The constructor rejects invalid values and names them; {@link #builder()}
 * starts from the defaults listed beside each constant.
 *
 * @param host address to bind; 127.0.0.1 by default, so that the service is reachable only from this machine
 * @param port TCP port, 0 for a free one
 * @param maxConcurrentRequests scoring requests admitted at once; request number {@code max + 1} gets 429
 * @param maxQueuedItems items (PRM solutions or ORM final answers) waiting for the model, per model; past it requests get 429
 * @param maxBodyBytes largest request body in bytes; a larger one gets 413
 * @param maxItemsPerRequest items in one request
 * @param maxStepsPerItem steps in one PRM item
 * @param maxInputTokens tokens in one item after the prompt format is applied; a model whose own limit is lower uses
 *     that
 * @param maxBatchTokens tokens in one forward pass, padding included; at least {@code maxInputTokens} so that every
 *     admitted item fits a batch
 * @param maxBatchWait longest wait for more items before a batch that is not full runs
 * @param requestTimeout deadline of a request from arrival to response; past it the answer is 504
 * @param prefixCacheBytes memory of the prefix key/value cache per model, in bytes; least recently used prefixes are
 *     evicted past it, 0 disables the cache
 * @param workerThreads threads that parse and tokenize requests
 * @param apiKey bearer token that every route except {@code /health} and {@code /ready} requires; null for none
 * @param shutdownTimeout how long {@link ScoringServer#close()} waits for requests in flight
 */
public record ServerConfig(
        String host,
        int port,
        int maxConcurrentRequests,
        int maxQueuedItems,
        int maxBodyBytes,
        int maxItemsPerRequest,
        int maxStepsPerItem,
        int maxInputTokens,
        int maxBatchTokens,
        Duration maxBatchWait,
        Duration requestTimeout,
        long prefixCacheBytes,
        int workerThreads,
        String apiKey,
        Duration shutdownTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 512;
    public static final int DEFAULT_MAX_QUEUED_ITEMS = 8192;
    /** 8 MiB: about 256 solutions of 32 KiB each. */
    public static final int DEFAULT_MAX_BODY_BYTES = 8 << 20;
    public static final int DEFAULT_MAX_ITEMS_PER_REQUEST = 256;
    public static final int DEFAULT_MAX_STEPS_PER_ITEM = 256;
    /** Qwen2.5-Math-PRM's context of 4096 tokens. */
    public static final int DEFAULT_MAX_INPUT_TOKENS = 4096;
    public static final int DEFAULT_MAX_BATCH_TOKENS = 16384;
    public static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** 512 MiB per model. */
    public static final long DEFAULT_PREFIX_CACHE_BYTES = 512L << 20;
    public static final int DEFAULT_WORKER_THREADS = 4;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public ServerConfig {
        require(host != null && !host.isBlank(), "host must be an address such as 127.0.0.1, found: " + host);
        require(port >= 0 && port <= 65535, "port must be in [0, 65535], found: " + port);
        requirePositive("maxConcurrentRequests", maxConcurrentRequests);
        requirePositive("maxQueuedItems", maxQueuedItems);
        requirePositive("maxBodyBytes", maxBodyBytes);
        requirePositive("maxItemsPerRequest", maxItemsPerRequest);
        requirePositive("maxStepsPerItem", maxStepsPerItem);
        requirePositive("maxInputTokens", maxInputTokens);
        requirePositive("maxBatchTokens", maxBatchTokens);
        require(maxBatchTokens >= maxInputTokens, "maxBatchTokens (" + maxBatchTokens
                + ") must be at least maxInputTokens (" + maxInputTokens
                + "), or an item of maxInputTokens tokens could never be scheduled; raise maxBatchTokens or lower"
                + " maxInputTokens");
        require(maxBatchWait != null && !maxBatchWait.isNegative(), "maxBatchWait must be zero or positive, found: "
                + maxBatchWait);
        require(requestTimeout != null && requestTimeout.toMillis() >= 1,
                "requestTimeout must be at least 1 ms, found: " + requestTimeout);
        require(prefixCacheBytes >= 0, "prefixCacheBytes must be zero or positive, found: " + prefixCacheBytes);
        requirePositive("workerThreads", workerThreads);
        require(apiKey == null || !apiKey.isBlank(), "apiKey must be null (no authentication) or non-blank");
        require(shutdownTimeout != null && !shutdownTimeout.isNegative(),
                "shutdownTimeout must be zero or positive, found: " + shutdownTimeout);
    }

    /** Returns a builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", maxConcurrentRequests=" + maxConcurrentRequests
                + ", maxQueuedItems=" + maxQueuedItems + ", maxBodyBytes=" + maxBodyBytes + ", maxItemsPerRequest="
                + maxItemsPerRequest + ", maxStepsPerItem=" + maxStepsPerItem + ", maxInputTokens=" + maxInputTokens
                + ", maxBatchTokens=" + maxBatchTokens + ", maxBatchWait=" + maxBatchWait.toMillis() + "ms"
                + ", requestTimeout=" + requestTimeout.toMillis() + "ms, prefixCacheBytes=" + prefixCacheBytes
                + ", workerThreads=" + workerThreads + ", apiKey=" + (apiKey == null ? "none" : "set")
                + ", shutdownTimeout=" + shutdownTimeout.toMillis() + "ms]";
    }

    private static void requirePositive(String name, long value) {
        require(value >= 1, name + " must be at least 1, found: " + value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable settings that {@link #build()} validates all at once. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
        private int maxQueuedItems = DEFAULT_MAX_QUEUED_ITEMS;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxItemsPerRequest = DEFAULT_MAX_ITEMS_PER_REQUEST;
        private int maxStepsPerItem = DEFAULT_MAX_STEPS_PER_ITEM;
        private int maxInputTokens = DEFAULT_MAX_INPUT_TOKENS;
        private int maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
        private Duration maxBatchWait = DEFAULT_MAX_BATCH_WAIT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private long prefixCacheBytes = DEFAULT_PREFIX_CACHE_BYTES;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private String apiKey;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private Builder() {}

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            maxConcurrentRequests = c.maxConcurrentRequests;
            maxQueuedItems = c.maxQueuedItems;
            maxBodyBytes = c.maxBodyBytes;
            maxItemsPerRequest = c.maxItemsPerRequest;
            maxStepsPerItem = c.maxStepsPerItem;
            maxInputTokens = c.maxInputTokens;
            maxBatchTokens = c.maxBatchTokens;
            maxBatchWait = c.maxBatchWait;
            requestTimeout = c.requestTimeout;
            prefixCacheBytes = c.prefixCacheBytes;
            workerThreads = c.workerThreads;
            apiKey = c.apiKey;
            shutdownTimeout = c.shutdownTimeout;
        }

        public Builder host(String value) { host = value; return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder maxConcurrentRequests(int value) { maxConcurrentRequests = value; return this; }
        public Builder maxQueuedItems(int value) { maxQueuedItems = value; return this; }
        public Builder maxBodyBytes(int value) { maxBodyBytes = value; return this; }
        public Builder maxItemsPerRequest(int value) { maxItemsPerRequest = value; return this; }
        public Builder maxStepsPerItem(int value) { maxStepsPerItem = value; return this; }
        public Builder maxInputTokens(int value) { maxInputTokens = value; return this; }
        public Builder maxBatchTokens(int value) { maxBatchTokens = value; return this; }
        public Builder maxBatchWait(Duration value) { maxBatchWait = value; return this; }
        public Builder requestTimeout(Duration value) { requestTimeout = value; return this; }
        public Builder prefixCacheBytes(long value) { prefixCacheBytes = value; return this; }
        public Builder workerThreads(int value) { workerThreads = value; return this; }
        public Builder apiKey(String value) { apiKey = value; return this; }
        public Builder shutdownTimeout(Duration value) { shutdownTimeout = value; return this; }

        /** @throws IllegalArgumentException naming the first invalid value */
        public ServerConfig build() {
            return new ServerConfig(host, port, maxConcurrentRequests, maxQueuedItems, maxBodyBytes,
                    maxItemsPerRequest, maxStepsPerItem, maxInputTokens, maxBatchTokens, maxBatchWait, requestTimeout,
                    prefixCacheBytes, workerThreads, apiKey, shutdownTimeout);
        }
    }
}
