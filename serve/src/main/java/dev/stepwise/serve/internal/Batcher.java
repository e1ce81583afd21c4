package dev.stepwise.serve.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue in front of one model and the thread that runs it. All model work for that model happens on this thread,
 * never on a Vert.x event loop.
 *
 * <p>The thread takes queued items until their tokens reach the batch budget or the oldest has waited
 * {@code maxBatchWait}, sorts them by length, and packs them into batches whose padded size
 * ({@code items × longest}) stays within {@code maxBatchTokens}. Items of abandoned requests (client gone, deadline
 * passed, response already sent) are dropped before they run. A failing batch sends the error to every request in it.
 * Incremental requests run through the {@link PrefixCache}, one request at a time, with the new tokens of several of its
 * items extended in one forward pass.
 */
public final class Batcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
    private static final long IDLE_POLL_MILLIS = 100;

    private final String modelName;
    private final ScoringBackend backend;
    private final int maxBatchTokens;
    private final long maxBatchWaitNanos;
    private final int maxQueuedItems;
    private final PrefixCache prefixCache;
    private final Metrics metrics;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedItems = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    /** An item of a request, or a whole incremental request with its prefix cache namespace. */
    private record Job(PendingRequest request, int index, boolean incremental, String cacheNamespace) {
        int tokens() {
            return incremental ? 0 : request.inputs().get(index).length();
        }
    }

    public Batcher(String modelName, ScoringBackend backend, int maxBatchTokens, long maxBatchWaitNanos,
            int maxQueuedItems, long prefixCacheBytes, Metrics metrics) {
        this.modelName = modelName;
        this.backend = backend;
        this.maxBatchTokens = maxBatchTokens;
        this.maxBatchWaitNanos = maxBatchWaitNanos;
        this.maxQueuedItems = maxQueuedItems;
        this.prefixCache = new PrefixCache(prefixCacheBytes);
        this.metrics = metrics;
        this.thread = new Thread(this::run, "stepwise-batcher-" + modelName);
        this.thread.setDaemon(true);
        metrics.registerQueue(modelName, queuedItems::get);
        metrics.registerPrefixCache(modelName, prefixCache::sizeInBytes);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues every item of {@code request} for batched scoring.
     *
     * @throws ApiException {@link ErrorType#OVERLOADED} when the queue cannot take all items
     */
    public void submit(PendingRequest request) {
        reserve(request.itemsToScore());
        for (int i = 0; i < request.inputs().size(); i++) {
            if (request.needsScoring(i)) {
                queue.add(new Job(request, i, false, PrefixCache.DEFAULT_NAMESPACE));
            }
        }
    }

    /**
     * Queues {@code request} for scoring through the prefix cache, its items in order on the batcher thread.
     *
     * @throws ApiException {@link ErrorType#OVERLOADED} when the queue cannot take all items
     */
    public void submitIncremental(PendingRequest request) {
        submitIncremental(request, PrefixCache.DEFAULT_NAMESPACE);
    }

    /**
     * Queues {@code request} like {@link #submitIncremental(PendingRequest)}; its items reuse and add only prefix
     * cache entries of {@code cacheNamespace}.
     */
    public void submitIncremental(PendingRequest request, String cacheNamespace) {
        reserve(request.itemsToScore());
        queue.add(new Job(request, -1, true, cacheNamespace));
    }

    /** Items waiting in the queue. */
    public int queuedItems() {
        return queuedItems.get();
    }

    /**
     * Stops the thread after the batch in progress, fails every queued request with {@link ErrorType#SHUTTING_DOWN}
     * and closes the prefix cache. The backend stays open: its owner closes it.
     */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("batcher of model {} did not stop within 30 s; its prefix cache stays allocated", modelName);
            return;
        }
        for (Job job; (job = queue.poll()) != null; ) {
            job.request().fail(new ApiException(ErrorType.SHUTTING_DOWN, "the server stopped before this request ran"));
        }
        queuedItems.set(0);
        prefixCache.close();
    }

    private void reserve(int items) {
        while (true) {
            int current = queuedItems.get();
            if (current + items > maxQueuedItems) {
                throw ApiException.overLimit(ErrorType.OVERLOADED, "the queue of model '" + modelName + "' contains "
                        + current + " items and takes at most " + maxQueuedItems + "; this request has " + items
                        + " items, retry later", maxQueuedItems, current + items);
            }
            if (queuedItems.compareAndSet(current, current + items)) {
                return;
            }
        }
    }

    private void run() {
        LOG.debug("batcher of model {} started", modelName);
        while (running) {
            try {
                runOnce();
            } catch (InterruptedException e) {
                if (running) {
                    LOG.warn("batcher of model {} interrupted while running; continuing", modelName);
                }
            } catch (RuntimeException e) {
                LOG.error("batcher of model {} failed outside a batch; this is a bug", modelName, e);
            }
        }
        LOG.debug("batcher of model {} stopped", modelName);
    }

    private void runOnce() throws InterruptedException {
        Job first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        List<Job> items = new ArrayList<>();
        List<Job> incremental = new ArrayList<>();
        (first.incremental() ? incremental : items).add(first);
        long tokens = first.tokens();
        long waitUntil = System.nanoTime() + maxBatchWaitNanos;
        while (tokens < maxBatchTokens && incremental.isEmpty()) {
            long left = waitUntil - System.nanoTime();
            Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            (next.incremental() ? incremental : items).add(next);
            tokens += next.tokens();
        }
        queuedItems.addAndGet(-items.size());
        runBatches(items);
        for (Job job : incremental) {
            queuedItems.addAndGet(-job.request().itemsToScore());
            runIncremental(job.request(), job.cacheNamespace());
        }
    }

    private void runBatches(List<Job> jobs) {
        long now = System.nanoTime();
        List<Job> live = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            if (!job.request().isAbandoned(now)) {
                live.add(job);
            } else if (job.request().isPastDeadline(now)) {
                job.request().fail(timeout());
            }
        }
        live.sort(Comparator.comparingInt(Job::tokens));
        List<Job> batch = new ArrayList<>();
        for (Job job : live) {
            int longest = job.tokens();
            if (!batch.isEmpty() && (long) (batch.size() + 1) * longest > maxBatchTokens) {
                runBatch(batch);
                batch = new ArrayList<>();
            }
            batch.add(job);
        }
        if (!batch.isEmpty()) {
            runBatch(batch);
        }
    }

    private void runBatch(List<Job> batch) {
        List<ScoringInput> inputs = new ArrayList<>(batch.size());
        Map<PendingRequest, Boolean> requests = new IdentityHashMap<>();
        long start = System.nanoTime();
        long realTokens = 0;
        int longest = 0;
        for (Job job : batch) {
            ScoringInput input = job.request().inputs().get(job.index());
            inputs.add(input);
            realTokens += input.length();
            longest = Math.max(longest, input.length());
            requests.put(job.request(), Boolean.TRUE);
            job.request().batchStarted(start);
        }

        float[][] scores;
        try {
            scores = backend.score(inputs);
            checkShape(inputs, scores);
        } catch (RuntimeException e) {
            LOG.error("model {} failed on a batch of {} items ({} tokens); failing {} requests", modelName,
                    batch.size(), realTokens, requests.size(), e);
            ApiException error = new ApiException(ErrorType.BACKEND_ERROR, "model '" + modelName
                    + "' failed on a batch of " + batch.size() + " items: " + e.getMessage(), e);
            requests.keySet().forEach(request -> request.fail(error));
            return;
        }

        long end = System.nanoTime();
        metrics.observeBatch(end - start, batch.size(), realTokens, (long) longest * batch.size());
        metrics.countTokens(realTokens, 0);
        LOG.debug("model {} scored a batch of {} items, {} tokens padded to {}, in {} ms", modelName, batch.size(),
                realTokens, (long) longest * batch.size(), (end - start) / 1_000_000);

        for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            job.request().batchEnded(end);
            job.request().completeItem(job.index(), scores[i], inputs.get(i).length(), 0);
        }
    }

    private static void checkShape(List<ScoringInput> inputs, float[][] scores) {
        if (scores == null || scores.length != inputs.size()) {
            throw new IllegalStateException("the backend returned " + (scores == null ? "null" : scores.length + " rows")
                    + " for " + inputs.size() + " inputs");
        }
        for (int i = 0; i < scores.length; i++) {
            int expected = inputs.get(i).scorePositions().length;
            if (scores[i] == null || scores[i].length != expected) {
                throw new IllegalStateException("the backend returned "
                        + (scores[i] == null ? "null" : scores[i].length + " scores") + " for input " + i + " with "
                        + expected + " score positions");
            }
        }
    }

    /**
     * Scores the items of an incremental request in request order through the prefix cache, several items per forward
     * pass. A batch ends before an item whose ids start with the ids of an item already in it, so each item reuses
     * everything the items before it cached, as when items ran one at a time. A batch also ends before its padded
     * rectangle, items × (longest cached prefix + longest new part), would pass {@code maxBatchTokens}.
     */
    private void runIncremental(PendingRequest request, String namespace) {
        IncrementalBatch batch = new IncrementalBatch();
        for (int i = 0; i < request.inputs().size(); i++) {
            if (!request.needsScoring(i)) {
                continue;
            }
            ScoringInput input = request.inputs().get(i);
            if (batch.containsPrefixOf(input.inputIds()) && !runIncrementalBatch(request, namespace, batch)) {
                return;
            }
            long now = System.nanoTime();
            if (request.isAbandoned(now)) {
                abandon(request, batch, now);
                return;
            }
            CacheLookup item = lookUp(namespace, i, input);
            if (item.state() == null) {
                // the whole sequence is cached with its scores: nothing to run
                request.batchStarted(now);
                metrics.countTokens(0, item.reused());
                request.batchEnded(now);
                request.completeItem(i, item.scores(), 0, item.reused());
                continue;
            }
            if (!batch.fits(item, maxBatchTokens) && !runIncrementalBatch(request, namespace, batch)) {
                item.state().close();
                return;
            }
            batch.add(item, input.inputIds());
        }
        if (!batch.items.isEmpty()) {
            runIncrementalBatch(request, namespace, batch);
        }
    }

    /**
     * Runs one batch of incremental items as one extension, caches each whole sequence and completes the items. On
     * return the batch is empty. Returns false when the request failed or was abandoned, so its other items must not
     * run.
     */
    private boolean runIncrementalBatch(PendingRequest request, String namespace, IncrementalBatch batch) {
        List<CacheLookup> items = List.copyOf(batch.items);
        batch.clear();
        long start = System.nanoTime();
        if (request.isAbandoned(start)) {
            items.forEach(item -> item.state().close());
            if (request.isPastDeadline(start)) {
                request.fail(timeout());
            }
            return false;
        }
        request.batchStarted(start);
        List<ScoringBackend.PrefixState> states = new ArrayList<>(items.size());
        List<long[]> newIds = new ArrayList<>(items.size());
        List<int[]> newPositions = new ArrayList<>(items.size());
        long computed = 0;
        long reused = 0;
        int longestNew = 0;
        for (CacheLookup item : items) {
            states.add(item.state());
            newIds.add(item.newIds());
            newPositions.add(item.newPositions());
            computed += item.newIds().length;
            reused += item.reused();
            longestNew = Math.max(longestNew, item.newIds().length);
        }

        List<float[]> newScores;
        try {
            newScores = backend.extendAll(states, newIds, newPositions);
            checkIncrementalShape(newPositions, newScores);
        } catch (RuntimeException e) {
            LOG.error("model {} failed on an incremental batch of {} items ({} new tokens); failing the request",
                    modelName, items.size(), computed, e);
            states.forEach(ScoringBackend.PrefixState::close);
            request.fail(new ApiException(ErrorType.BACKEND_ERROR, "model '" + modelName
                    + "' failed on an incremental batch of " + items.size() + " items: " + e.getMessage(), e));
            return false;
        }

        long end = System.nanoTime();
        metrics.observeBatch(end - start, items.size(), computed, (long) longestNew * items.size());
        metrics.countTokens(computed, reused);
        LOG.debug("model {} extended {} cached prefixes by {} tokens ({} reused) in {} ms", modelName, items.size(),
                computed, reused, (end - start) / 1_000_000);
        request.batchEnded(end);
        for (int b = 0; b < items.size(); b++) {
            CacheLookup item = items.get(b);
            float[] scores = item.scores();
            System.arraycopy(newScores.get(b), 0, scores, item.firstNew(), newScores.get(b).length);
            ScoringInput input = request.inputs().get(item.index());
            prefixCache.put(namespace, input.inputIds(), new PrefixCache.Entry(item.state(),
                    input.scorePositions().clone(), scores.clone()));
            request.completeItem(item.index(), scores, item.newIds().length, item.reused());
        }
        return true;
    }

    private void abandon(PendingRequest request, IncrementalBatch batch, long now) {
        batch.items.forEach(item -> item.state().close());
        batch.clear();
        if (request.isPastDeadline(now)) {
            request.fail(timeout());
        }
    }

    private static void checkIncrementalShape(List<int[]> positions, List<float[]> scores) {
        if (scores == null || scores.size() != positions.size()) {
            throw new IllegalStateException("the backend returned " + (scores == null ? "null" : scores.size() + " rows")
                    + " for " + positions.size() + " prefix states");
        }
        for (int i = 0; i < scores.size(); i++) {
            if (scores.get(i) == null || scores.get(i).length != positions.get(i).length) {
                throw new IllegalStateException("the backend returned " + (scores.get(i) == null ? "null"
                        : scores.get(i).length + " scores") + " for prefix state " + i + " with "
                        + positions.get(i).length + " new score positions");
            }
        }
    }

    /**
     * An item after its prefix cache lookup.
     *
     * @param index the item's index in its request
     * @param state a copy of the longest cached prefix, or an empty state, that this item owns and extends. It is
     *     null when the whole sequence was cached.
     * @param reused tokens taken from the cache
     * @param scores scores of the whole item, filled for the positions inside the cached prefix
     * @param firstNew index into {@code scores} of the first position among the new tokens
     * @param newIds ids after the cached prefix
     * @param newPositions score positions among {@code newIds}
     */
    private record CacheLookup(int index, ScoringBackend.PrefixState state, int reused, float[] scores, int firstNew,
            long[] newIds, int[] newPositions) {}

    /**
     * Looks up the longest cached prefix of {@code input} and copies it. The copy is extended, not the cached entry,
     * so that sibling continuations (beam search) can reuse the entry too.
     */
    private CacheLookup lookUp(String namespace, int index, ScoringInput input) {
        long[] ids = input.inputIds();
        int[] positions = input.scorePositions();
        PrefixCache.Entry hit = prefixCache.longestPrefix(namespace, ids, positions);
        int reused = hit == null ? 0 : hit.state().length();
        float[] scores = new float[positions.length];
        int firstNew = 0;
        while (firstNew < positions.length && positions[firstNew] < reused) {
            scores[firstNew] = hit.scoreAt(positions[firstNew]);
            firstNew++;
        }
        if (reused == ids.length) {
            return new CacheLookup(index, null, reused, scores, firstNew, new long[0], new int[0]);
        }
        long[] newIds = Arrays.copyOfRange(ids, reused, ids.length);
        int[] newPositions = new int[positions.length - firstNew];
        for (int j = firstNew; j < positions.length; j++) {
            newPositions[j - firstNew] = positions[j] - reused;
        }
        ScoringBackend.PrefixState state = hit == null ? backend.newPrefixState() : hit.state().copy();
        return new CacheLookup(index, state, reused, scores, firstNew, newIds, newPositions);
    }

    /** Incremental items waiting to run as one extension, with the sizes of their padded rectangle. */
    private static final class IncrementalBatch {
        final List<CacheLookup> items = new ArrayList<>();
        final List<long[]> wholeIds = new ArrayList<>();
        int longestReused;
        int longestNew;

        /** Returns whether adding {@code item} keeps items × (longest reused + longest new) within {@code maxTokens}. */
        boolean fits(CacheLookup item, int maxTokens) {
            if (items.isEmpty()) {
                return true;
            }
            long width = (long) Math.max(longestReused, item.reused()) + Math.max(longestNew, item.newIds().length);
            return (items.size() + 1) * width <= maxTokens;
        }

        void add(CacheLookup item, long[] ids) {
            items.add(item);
            wholeIds.add(ids);
            longestReused = Math.max(longestReused, item.reused());
            longestNew = Math.max(longestNew, item.newIds().length);
        }

        /** Returns whether the ids of an item in the batch are a prefix of {@code ids} or equal to them. */
        boolean containsPrefixOf(long[] ids) {
            for (long[] other : wholeIds) {
                if (other.length <= ids.length && Arrays.equals(other, 0, other.length, ids, 0, other.length)) {
                    return true;
                }
            }
            return false;
        }

        void clear() {
            items.clear();
            wholeIds.clear();
            longestReused = 0;
            longestNew = 0;
        }
    }

    private static ApiException timeout() {
        return new ApiException(ErrorType.TIMEOUT, "the request passed its deadline before it was scored");
    }
}
