package dev.stepwise.serve.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Longest-prefix lookup, byte bound and least-recently-used eviction of the prefix cache. */
class PrefixCacheTest {

    /** A state of a given length that costs 10 bytes per token and records whether it was closed. */
    private static final class SizedState implements ScoringBackend.PrefixState {
        private final int length;
        boolean closed;

        SizedState(int length) {
            this.length = length;
        }

        @Override public int length() { return length; }
        @Override public long sizeInBytes() { return 10L * length; }
        @Override public ScoringBackend.PrefixState copy() { return new SizedState(length); }
        @Override public float[] extend(long[] inputIds, int[] positions) { throw new UnsupportedOperationException(); }
        @Override public void close() { closed = true; }
    }

    private static PrefixCache.Entry entry(SizedState state, int[] positions) {
        float[] scores = new float[positions.length];
        java.util.Arrays.fill(scores, 0.5f);
        return new PrefixCache.Entry(state, positions, scores);
    }

    @Test
    void lookupFindsLongestCachedPrefix() {
        PrefixCache cache = new PrefixCache(1000);
        SizedState two = new SizedState(2);
        SizedState four = new SizedState(4);
        cache.put(new long[] {1, 2}, entry(two, new int[] {1}));
        cache.put(new long[] {1, 2, 3, 4}, entry(four, new int[] {1, 3}));

        assertSame(four, cache.longestPrefix(new long[] {1, 2, 3, 4, 5, 6}, new int[] {1, 3, 5}).state());
        assertSame(two, cache.longestPrefix(new long[] {1, 2, 9, 9}, new int[] {1, 3}).state());
        assertSame(four, cache.longestPrefix(new long[] {1, 2, 3, 4}, new int[] {1, 3}).state());
        assertNull(cache.longestPrefix(new long[] {7, 2, 3, 4}, new int[] {1, 3}));
    }

    @Test
    void namespacesDoNotShareEntries() {
        PrefixCache cache = new PrefixCache(1000);
        SizedState defaultState = new SizedState(2);
        SizedState runState = new SizedState(2);
        cache.put(new long[] {1, 2}, entry(defaultState, new int[] {1}));
        cache.put("run-1", new long[] {1, 2}, entry(runState, new int[] {1}));

        assertSame(defaultState, cache.longestPrefix(new long[] {1, 2, 3}, new int[] {1}).state());
        assertSame(runState, cache.longestPrefix("run-1", new long[] {1, 2, 3}, new int[] {1}).state());
        assertNull(cache.longestPrefix("run-2", new long[] {1, 2, 3}, new int[] {1}));
        assertEquals(2, cache.entryCount());
        assertEquals(40, cache.sizeInBytes());
    }

    @Test
    void lookupSkipsPrefixWithoutNeededScores() {
        PrefixCache cache = new PrefixCache(1000);
        cache.put(new long[] {1, 2, 3}, entry(new SizedState(3), new int[] {2}));

        assertNull(cache.longestPrefix(new long[] {1, 2, 3, 4}, new int[] {1, 3}),
                "position 1 lies inside the prefix but has no cached score");
    }

    @Test
    void evictsLeastRecentlyUsedPastByteLimit() {
        PrefixCache cache = new PrefixCache(100);
        SizedState first = new SizedState(4);
        SizedState second = new SizedState(4);
        SizedState third = new SizedState(4);
        cache.put(new long[] {1, 1, 1, 1}, entry(first, new int[] {3}));
        cache.put(new long[] {2, 2, 2, 2}, entry(second, new int[] {3}));
        cache.longestPrefix(new long[] {1, 1, 1, 1, 5}, new int[] {3});
        cache.put(new long[] {3, 3, 3, 3}, entry(third, new int[] {3}));

        assertEquals(80, cache.sizeInBytes());
        assertEquals(2, cache.entryCount());
        assertTrue(second.closed, "the least recently used entry is evicted and closed");
        assertEquals(1, cache.evictions());
        assertNull(cache.longestPrefix(new long[] {2, 2, 2, 2}, new int[] {3}));
    }

    @Test
    void entryLargerThanLimitIsClosedAtOnce() {
        PrefixCache cache = new PrefixCache(30);
        SizedState big = new SizedState(4);
        cache.put(new long[] {1, 2, 3, 4}, entry(big, new int[] {3}));

        assertTrue(big.closed);
        assertEquals(0, cache.entryCount());
        assertEquals(0, cache.sizeInBytes());
    }
}
