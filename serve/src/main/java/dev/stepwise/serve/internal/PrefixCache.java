package dev.stepwise.serve.internal;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Key/value caches of token prefixes that a model has already run, with the scores found inside each, bounded in
 * bytes with least-recently-used eviction.
 *
 * <p>Entries are keyed by a namespace and their exact token ids. A lookup finds the longest cached sequence of the
 * request's namespace that is a prefix of the request's ids, so requests of one namespace never reuse the work of
 * another. Not thread-safe: only the model's batcher thread uses it.
 */
public final class PrefixCache implements AutoCloseable {

    /** The namespace of requests that name none. */
    public static final String DEFAULT_NAMESPACE = "";

    private final long maxBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    /** Number of entries of each token length, so that a lookup tries only lengths that exist. */
    private final TreeMap<Integer, Integer> lengthCounts = new TreeMap<>();
    /** Written by the batcher thread only; volatile so that the metrics endpoint reads a recent value. */
    private volatile long bytes;
    private long evictions;

    public PrefixCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be zero or positive, found: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * A cached prefix: its key/value cache and the score found at each of its score positions.
     *
     * @param state the model's cache after reading the prefix; owned by the cache entry
     * @param scorePositions ascending positions inside the prefix that have a score
     * @param scores score at each of {@code scorePositions}
     */
    public record Entry(ScoringBackend.PrefixState state, int[] scorePositions, float[] scores) {

        /** Returns the score at {@code position}, or NaN when the entry has none there. */
        float scoreAt(int position) {
            int index = Arrays.binarySearch(scorePositions, position);
            return index >= 0 ? scores[index] : Float.NaN;
        }
    }

    /**
     * Returns the entry of the longest cached prefix of {@code inputIds} (the whole sequence included) that contains a score for
     * every position of {@code scorePositions} that falls inside it, or null.
     */
    public Entry longestPrefix(long[] inputIds, int[] scorePositions) {
        return longestPrefix(DEFAULT_NAMESPACE, inputIds, scorePositions);
    }

    /**
     * Returns the entry of the longest cached prefix of {@code inputIds} stored under {@code namespace}, as
     * {@link #longestPrefix(long[], int[])} does. Entries of other namespaces are never returned.
     */
    public Entry longestPrefix(String namespace, long[] inputIds, int[] scorePositions) {
        int[] prefixHashes = prefixHashes(inputIds);
        for (Integer length : lengthCounts.headMap(inputIds.length, true).descendingKeySet()) {
            Entry entry = entries.get(new Key(namespace, inputIds, length, prefixHashes[length]));
            if (entry != null && coversPositions(entry, scorePositions, length)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Stores {@code entry} for {@code inputIds}, taking ownership of its state, and evicts least recently used entries
     * until the cache fits its byte limit. An entry larger than the whole limit is closed at once.
     */
    public void put(long[] inputIds, Entry entry) {
        put(DEFAULT_NAMESPACE, inputIds, entry);
    }

    /** Stores {@code entry} for {@code inputIds} under {@code namespace}, as {@link #put(long[], Entry)} does. */
    public void put(String namespace, long[] inputIds, Entry entry) {
        long size = entry.state().sizeInBytes();
        if (size > maxBytes) {
            entry.state().close();
            return;
        }
        Key key = new Key(namespace, inputIds.clone(), inputIds.length, Arrays.hashCode(inputIds));
        Entry previous = entries.put(key, entry);
        if (previous != null) {
            bytes -= previous.state().sizeInBytes();
            previous.state().close();
        } else {
            lengthCounts.merge(inputIds.length, 1, Integer::sum);
        }
        bytes += size;
        evictUntilWithinLimit();
    }

    /** Bytes held by all entries. */
    public long sizeInBytes() {
        return bytes;
    }

    public int entryCount() {
        return entries.size();
    }

    /** Entries evicted since creation. */
    public long evictions() {
        return evictions;
    }

    @Override
    public void close() {
        entries.values().forEach(entry -> entry.state().close());
        entries.clear();
        lengthCounts.clear();
        bytes = 0;
    }

    private void evictUntilWithinLimit() {
        Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<Key, Entry> next = eldest.next();
            eldest.remove();
            bytes -= next.getValue().state().sizeInBytes();
            lengthCounts.computeIfPresent(next.getKey().length, (length, count) -> count == 1 ? null : count - 1);
            next.getValue().state().close();
            evictions++;
        }
    }

    private static boolean coversPositions(Entry entry, int[] scorePositions, int length) {
        for (int position : scorePositions) {
            if (position >= length) {
                break;
            }
            if (Float.isNaN(entry.scoreAt(position))) {
                return false;
            }
        }
        return true;
    }

    /** {@code hashes[n]} equals {@code Arrays.hashCode} of the first n ids, computed in one pass. */
    private static int[] prefixHashes(long[] ids) {
        int[] hashes = new int[ids.length + 1];
        hashes[0] = 1;
        for (int i = 0; i < ids.length; i++) {
            hashes[i + 1] = 31 * hashes[i] + Long.hashCode(ids[i]);
        }
        return hashes;
    }

    /**
     * A namespace and the first {@code length} ids of an array; lookups use the request's array without copying it.
     */
    private static final class Key {
        private final String namespace;
        private final long[] ids;
        private final int length;
        private final int hash;

        /** {@code idsHash} is {@code Arrays.hashCode} of the first {@code length} ids. */
        Key(String namespace, long[] ids, int length, int idsHash) {
            this.namespace = namespace;
            this.ids = ids;
            this.length = length;
            this.hash = 31 * idsHash + namespace.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && hash == that.hash && length == that.length
                    && namespace.equals(that.namespace) && Arrays.equals(ids, 0, length, that.ids, 0, length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
