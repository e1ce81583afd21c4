import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.StepSegmenter;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.serve.ModelSource;
import dev.stepwise.serve.ScoringServer;
import dev.stepwise.serve.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load benchmark of the scoring service on loopback: a tiny random-init Llama PRM served by {@link ScoringServer} in
 * this JVM, closed-loop clients at 1, 8 and 64 concurrent connections, the in-process batched throughput of the same
 * model, and an open-loop run at twice the measured capacity that checks every response is 200 or 429, complete and
 * in order. Every phase stops after its time limit.
 *
 * <p>Arguments: [seconds per concurrency level, default 15] [overload seconds, default 60].
 */
public final class ServeLoadBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HIDDEN = 128;
    private static final int LAYERS = 4;

    public static void main(String[] args) throws Exception {
        int levelSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int overloadSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("serve-bench-model");
        writeModel(dir);
        List<Item> items = workload();
        System.out.printf(Locale.ROOT, "model: Llama %d layers, hidden %d, %s parameters; items of %d-%d tokens%n",
                LAYERS, HIDDEN, parameters(dir), items.stream().mapToInt(i -> i.tokens).min().getAsInt(),
                items.stream().mapToInt(i -> i.tokens).max().getAsInt());

        double inProcessSingle = inProcessThroughput(dir, items, 1, levelSeconds);
        double inProcess = inProcessThroughput(dir, items, 32, levelSeconds);
        System.out.printf(Locale.ROOT, "in-process: %.1f items/s one item per call, %.1f items/s 32 items per call%n",
                inProcessSingle, inProcess);

        ServerConfig config = ServerConfig.builder().port(0).maxConcurrentRequests(256).build();
        double best = 0;
        try (ScoringServer server = ScoringServer.start(config, List.of(new ModelSource("bench", dir)), Device.cpu())) {
            System.out.println("| clients | requests/s | p50 ms | p99 ms | server / in-process batched |");
            System.out.println("|---|---|---|---|---|");
            for (int clients : new int[] {1, 8, 64}) {
                ClosedLoop result = closedLoop(server.port(), items, clients, levelSeconds);
                best = Math.max(best, result.throughput);
                System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.2f |%n", clients, result.throughput,
                        result.p50, result.p99, result.throughput / inProcess);
            }
        }

        ServerConfig tight = ServerConfig.builder().port(0).maxConcurrentRequests(32).build();
        try (ScoringServer server = ScoringServer.start(tight, List.of(new ModelSource("bench", dir)), Device.cpu())) {
            overload(server.port(), items, 2 * best, overloadSeconds);
        }
    }

    /** One request body (one PRM item) with its expected step count and token count. */
    private record Item(String body, int steps, int tokens, StepSegmenter.Segment segment) {}

    private static List<Item> workload() throws Exception {
        List<Item> items = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(tmpTokenizer())) {
            StepSegmenter segmenter = new StepSegmenter(tokenizer, dev.stepwise.dataset.PromptFormat.plain(),
                    DemoTokenizer.STEP_SEPARATOR, 4096);
            for (int i = 0; i < 64; i++) {
                String problem = "Problem " + i + ": a shop sells " + (3 + i) + " pens at " + (2 + i % 5)
                        + " dollars each. What is the total?";
                List<String> steps = new ArrayList<>();
                for (int k = 0; k <= i % 4; k++) {
                    steps.add("Step " + k + ": " + (3 + i) + " x " + (2 + i % 5) + " = " + (3 + i) * (2 + i % 5)
                            + " so far.");
                }
                String body = JSON.writeValueAsString(Map.of("items", List.of(Map.of("problem", problem,
                        "steps", steps))));
                StepSegmenter.Segment segment = segmenter.segment(problem, steps);
                items.add(new Item(body, steps.size(), segment.inputIds().length, segment));
            }
        }
        return items;
    }

    private static Path tmpTokenizer() throws Exception {
        Path dir = Files.createTempDirectory("serve-bench-tokenizer");
        DemoTokenizer.write(dir);
        return dir;
    }

    private static void writeModel(Path dir) throws Exception {
        DemoTokenizer.write(dir);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(HIDDEN).intermediateSize(4 * HIDDEN)
                .numHiddenLayers(LAYERS).numAttentionHeads(8).numKeyValueHeads(4).vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain",
                "hard", 0.5, null, 4096);
        try (ProcessRewardModel model = ProcessRewardModel.create(DecoderModel.randomInit(config, 7, Device.cpu()),
                TextTokenizer.load(dir), card, 8)) {
            model.save(dir);
        }
    }

    private static String parameters(Path dir) throws Exception {
        try (DecoderModel model = DecoderModel.load(dir, Device.cpu())) {
            return String.format(Locale.ROOT, "%.2fM", model.parameterCount() / 1e6);
        }
    }

    /**
     * Scores all workload items with the model in this thread, {@code batchSize} items per call after sorting them by
     * length (as the server's batcher does), and returns items per second.
     */
    private static double inProcessThroughput(Path dir, List<Item> items, int batchSize, int seconds)
            throws Exception {
        try (ProcessRewardModel model = ProcessRewardModel.load(dir, Device.cpu())) {
            List<StepSegmenter.Segment> sorted = items.stream().map(Item::segment)
                    .sorted(java.util.Comparator.comparingInt(segment -> segment.inputIds().length)).toList();
            List<List<StepSegmenter.Segment>> batches = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i += batchSize) {
                batches.add(sorted.subList(i, Math.min(sorted.size(), i + batchSize)));
            }
            model.scoreSegments(batches.get(0));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            long scored = 0;
            for (int n = 0; System.nanoTime() < end; n++) {
                List<StepSegmenter.Segment> batch = batches.get(n % batches.size());
                model.scoreSegments(batch);
                scored += batch.size();
            }
            return scored / ((System.nanoTime() - start) / 1e9);
        }
    }

    private record ClosedLoop(double throughput, double p50, double p99) {}

    private static ClosedLoop closedLoop(int port, List<Item> items, int clients, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/prm/score");
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);

        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try {
                    for (int n = 0; System.nanoTime() < end; n++) {
                        Item item = items.get((client * 7 + n) % items.size());
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(post(uri, item.body),
                                HttpResponse.BodyHandlers.ofString());
                        long received = System.nanoTime();
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                        } else if (received >= warmupEnd && received <= end) {
                            latencies.add(received - sent);
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        done.await();

        if (failures.get() > 0) {
            System.out.println("  " + failures.get() + " requests failed at " + clients + " clients");
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new ClosedLoop(sorted.length / (double) seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1)] / 1e6;
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /**
     * Sends requests at {@code rate} per second for {@code seconds}, each with one to three items of different step
     * counts, and checks every response: status 200 or 429, and for 200 one result per item with one score per step,
     * in request order.
     */
    private static void overload(int port, List<Item> items, double rate, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/prm/score");
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder wrongResults = new LongAdder();
        LongAdder clientErrors = new LongAdder();
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        List<Long> rejectedLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> okLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxHeap = new AtomicLong();
        AtomicLong maxRss = new AtomicLong();

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        long periodNanos = (long) (1e9 / rate);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        scheduler.scheduleAtFixedRate(() -> sample(maxHeap, maxRss), 0, 500, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(() -> {
            if (System.nanoTime() >= end) {
                return;
            }
            long n = sent.getAndIncrement();
            int count = (int) (n % 3) + 1;
            List<Item> chosen = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                chosen.add(items.get((int) ((n + 5 * j) % items.size())));
            }
            String body = batchBody(chosen);
            long start = System.nanoTime();
            http.sendAsync(post(uri, body), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long latency = System.nanoTime() - start;
                answered.incrementAndGet();
                if (error != null) {
                    clientErrors.increment();
                    return;
                }
                statuses.computeIfAbsent(response.statusCode(), k -> new LongAdder()).increment();
                if (response.statusCode() == 429) {
                    rejectedLatencies.add(latency);
                } else if (response.statusCode() == 200) {
                    okLatencies.add(latency);
                    if (!resultsMatch(response.body(), chosen)) {
                        wrongResults.increment();
                    }
                }
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);

        while (System.nanoTime() < end) {
            Thread.sleep(200);
        }
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(130);
        while (answered.get() < sent.get() && System.nanoTime() < drainEnd) {
            Thread.sleep(50);
        }
        scheduler.shutdownNow();

        long[] rejected = rejectedLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] ok = okLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "overload: %.0f requests/s offered for %d s (2x the best closed-loop rate),"
                + " max 32 in flight%n", rate, seconds);
        System.out.printf(Locale.ROOT, "  sent %d, answered %d, statuses %s, client errors %d,"
                + " 200s with wrong or reordered results %d%n", sent.get(), answered.get(), new java.util.TreeMap<>(
                statuses.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().sum()))), clientErrors.sum(), wrongResults.sum());
        System.out.printf(Locale.ROOT, "  200 latency p50 %.1f ms p99 %.1f ms; 429 latency p50 %.2f ms p99 %.2f ms%n",
                percentile(ok, 0.5), percentile(ok, 0.99), percentile(rejected, 0.5), percentile(rejected, 0.99));
        System.out.printf(Locale.ROOT, "  max heap used %d MiB, max RSS %d MiB (server and load generator in one JVM)%n",
                maxHeap.get() >> 20, maxRss.get() >> 20);
    }

    private static String batchBody(List<Item> chosen) {
        try {
            List<Object> list = new ArrayList<>();
            for (Item item : chosen) {
                list.add(JSON.readTree(item.body).get("items").get(0));
            }
            return JSON.writeValueAsString(Map.of("items", list));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean resultsMatch(String body, List<Item> chosen) {
        try {
            JsonNode results = JSON.readTree(body).get("results");
            if (results == null || results.size() != chosen.size()) {
                return false;
            }
            for (int i = 0; i < chosen.size(); i++) {
                if (results.get(i).get("step_scores").size() != chosen.get(i).steps
                        || results.get(i).get("computed_tokens").intValue() != chosen.get(i).tokens) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void sample(AtomicLong maxHeap, AtomicLong maxRss) {
        Runtime runtime = Runtime.getRuntime();
        maxHeap.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    maxRss.accumulateAndGet(kib << 10, Math::max);
                }
            }
        } catch (Exception e) {
            // /proc exists on Linux only, and the heap figure is reported without it.
        }
    }
}
