package dev.stepwise.cli;

import ai.djl.Device;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import java.net.BindException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stepwise serve}: loads PRM and ORM model folders side by side and serves them over HTTP until the process
 * receives SIGINT or SIGTERM, then shuts down gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Serves PRM and ORM scores over HTTP.",
            "Routes: /v1/prm/score, /v1/prm/score_incremental, /v1/orm/score, vLLM's /pooling and /classify, "
                    + "TEI's /predict, /v1/models, /health, /ready, /metrics and /openapi.json.",
            "Each model folder's stepwise.json decides whether it is served as a PRM or an ORM.",
            "Example: stepwise serve --model prm=runs/prm --model orm=runs/orm --port 0"})
public final class ServeCommand implements Callable<Integer> {

    /** Environment variable read for the API key when {@code --api-key} is not given. */
    static final String API_KEY_ENV = "STEPWISE_API_KEY";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "[NAME=]DIR",
            description = "Model folder to serve, optionally named (default name: the folder name). Repeatable.")
    List<String> models;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}, reachable only from this machine).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one and prints it"
            + " (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--device", defaultValue = "cpu", description = "DJL device: cpu, gpu or gpuN"
            + " (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--max-concurrent-requests", defaultValue = "512",
            description = "Scoring requests admitted at once; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxConcurrentRequests;

    @Option(names = "--max-queued-items", defaultValue = "8192",
            description = "Items waiting per model; a request that does not fit gets 429 (default: ${DEFAULT-VALUE}).")
    int maxQueuedItems;

    @Option(names = "--max-body-bytes", defaultValue = "8388608",
            description = "Largest request body in bytes; larger gets 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-items-per-request", defaultValue = "256",
            description = "Items in one request; more gets 413 (default: ${DEFAULT-VALUE}).")
    int maxItemsPerRequest;

    @Option(names = "--max-steps-per-item", defaultValue = "256",
            description = "Steps in one PRM item; more gets 413 (default: ${DEFAULT-VALUE}).")
    int maxStepsPerItem;

    @Option(names = "--max-input-tokens", defaultValue = "4096",
            description = "Tokens in one item after the prompt format; lowered to a model's own max_tokens"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxInputTokens;

    @Option(names = "--max-batch-tokens", defaultValue = "16384",
            description = "Tokens per forward pass with padding; must be at least --max-input-tokens"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxBatchTokens;

    @Option(names = "--max-batch-wait-ms", defaultValue = "2",
            description = "Maximum wait in milliseconds for more items before a partial batch runs"
                    + " (default: ${DEFAULT-VALUE}).")
    long maxBatchWaitMillis;

    @Option(names = "--request-timeout-ms", defaultValue = "60000",
            description = "Deadline of each request in milliseconds; past it the response is 504"
                    + " (default: ${DEFAULT-VALUE}).")
    long requestTimeoutMillis;

    @Option(names = "--prefix-cache-mib", defaultValue = "512",
            description = "Memory of the prefix key/value cache per model in MiB; 0 disables it"
                    + " (default: ${DEFAULT-VALUE}).")
    long prefixCacheMib;

    @Option(names = "--worker-threads", defaultValue = "4",
            description = "Threads that parse and tokenize requests (default: ${DEFAULT-VALUE}).")
    int workerThreads;

    @Option(names = "--api-key", description = "Bearer token required on every route except /health and /ready;"
            + " default: the " + API_KEY_ENV + " environment variable, or none.")
    String apiKey;

    @Option(names = "--shutdown-timeout-ms", defaultValue = "30000",
            description = "How long a shutdown waits for requests in flight, in milliseconds"
                    + " (default: ${DEFAULT-VALUE}).")
    long shutdownTimeoutMillis;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config();
        List<ModelSource> sources = models.stream().map(ModelSource::parse).toList();
        for (ModelSource source : sources) {
            if (!Files.isDirectory(source.dir())) {
                throw new IllegalArgumentException("--model " + source.name() + "=" + source.dir()
                        + ": model folder not found");
            }
        }
        Device target = DeviceOption.parse(device);
        ScoringServer server;
        try {
            server = ScoringServer.start(config, sources, target);
        } catch (BindException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another --port, or --port 0 for a free one", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "stepwise-serve-shutdown"));
        spec.commandLine().getOut().println("stepwise serve listening on http://" + host + ":" + server.port());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /**
     * Builds the server configuration from the options.
     *
     * @throws IllegalArgumentException naming the option, when a value is out of range
     */
    ServerConfig config() {
        requireAtLeast("--max-batch-wait-ms", maxBatchWaitMillis, 0);
        requireAtLeast("--request-timeout-ms", requestTimeoutMillis, 1);
        requireAtLeast("--shutdown-timeout-ms", shutdownTimeoutMillis, 0);
        requireAtLeast("--prefix-cache-mib", prefixCacheMib, 0);
        if (prefixCacheMib > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException("--prefix-cache-mib must be at most " + (Long.MAX_VALUE >> 20)
                    + ", found: " + prefixCacheMib);
        }
        try {
            return buildConfig();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withOptionNames(e.getMessage()), e);
        }
    }

    private static void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(option + " must be at least " + minimum + ", found: " + value);
        }
    }

    /** Replaces the {@link ServerConfig} field names in a validation message with the options that set them. */
    static String withOptionNames(String message) {
        Matcher matcher = CONFIG_FIELD.matcher(message);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String option = "--" + matcher.group().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            matcher.appendReplacement(result, Matcher.quoteReplacement(option));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** Field names of {@link ServerConfig} whose option is the same name in kebab case. */
    private static final Pattern CONFIG_FIELD = Pattern.compile("\\b(host|port|maxConcurrentRequests|maxQueuedItems"
            + "|maxBodyBytes|maxItemsPerRequest|maxStepsPerItem|maxInputTokens|maxBatchTokens|workerThreads"
            + "|apiKey)\\b");

    private ServerConfig buildConfig() {
        String key = apiKey != null ? apiKey : System.getenv(API_KEY_ENV);
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .maxConcurrentRequests(maxConcurrentRequests)
                .maxQueuedItems(maxQueuedItems)
                .maxBodyBytes(maxBodyBytes)
                .maxItemsPerRequest(maxItemsPerRequest)
                .maxStepsPerItem(maxStepsPerItem)
                .maxInputTokens(maxInputTokens)
                .maxBatchTokens(maxBatchTokens)
                .maxBatchWait(Duration.ofMillis(maxBatchWaitMillis))
                .requestTimeout(Duration.ofMillis(requestTimeoutMillis))
                .prefixCacheBytes(prefixCacheMib << 20)
                .workerThreads(workerThreads)
                .apiKey(key == null || key.isBlank() ? null : key)
                .shutdownTimeout(Duration.ofMillis(shutdownTimeoutMillis))
                .build();
    }
}
