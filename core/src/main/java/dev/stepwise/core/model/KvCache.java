package dev.stepwise.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The attention keys and values of one token sequence, per layer, so {@link DecoderModel#hiddenStates(NDArray,
 * KvCache)} and {@link DecoderModel#hiddenStates(List, List, NDManager)} can extend a prefix without recomputing it.
 *
 * <p>A cache is a list of immutable segments, one per extension. A segment contains the keys (after the rotary
 * embedding) and values of every layer for its positions, as one float32 array of shape
 * (positions, 2 × layers, kvHeads, headDim). Index i of the second axis contains the keys of layer i, and index
 * layers + i its values. An extension
 * appends a new segment and copies nothing already cached. {@link #fork()} shares the segments with the copy and counts
 * references to them, so a fork costs no native memory, and siblings never see each other's tokens because
 * segments never change. A forward pass concatenates the segments of its rows, so it still reads (copies) every
 * cached position once per call.
 *
 * <p>A cache belongs to the model that created it. Segment arrays are attached to {@link DecoderModel#manager()}: close
 * a cache when done, and closing the model frees every segment too. Methods are synchronized, so a cache may be
 * handed between threads, but one extension at a time runs on it.
 */
public final class KvCache implements AutoCloseable {

    private final DecoderModel model;
    private final List<Segment> segments = new ArrayList<>();
    private int length;
    private boolean closed;

    KvCache(DecoderModel model) {
        this.model = model;
    }

    /** Returns the number of cached token positions. */
    public synchronized int length() {
        return length;
    }

    /**
     * Returns the bytes of the key and value segments this cache references on the model's device. A segment shared
     * with forks counts in each of them, so a sum over caches overstates the memory held.
     */
    public synchronized long sizeInBytes() {
        long bytes = 0;
        for (Segment segment : segments) {
            bytes += segment.bytes;
        }
        return bytes;
    }

    /**
     * Returns an independent cache with the same positions, for example to extend one prefix several ways in beam
     * search. The copy shares the immutable segments, so extending or truncating either cache never changes the
     * other.
     */
    public synchronized KvCache fork() {
        requireOpen();
        KvCache copy = new KvCache(model);
        for (Segment segment : segments) {
            segment.retain();
            copy.segments.add(segment);
        }
        copy.length = length;
        return copy;
    }

    /**
     * Drops every position from {@code newLength} on, so a rejected continuation can be replaced.
     *
     * @throws IllegalArgumentException when {@code newLength} is negative or above {@link #length()}
     */
    public synchronized void truncate(int newLength) {
        requireOpen();
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("truncate length must be in [0, " + length + "], found " + newLength);
        }
        if (newLength == length) {
            return;
        }
        List<Segment> remaining = new ArrayList<>();
        int end = 0;
        for (Segment segment : segments) {
            int start = end;
            end += segment.length;
            if (end <= newLength) {
                remaining.add(segment);
            } else {
                if (start < newLength) {
                    // the segment straddles the cut: keep a copy of its first positions, so the arrays stay compact
                    try (NDArray view = segment.data.get(NDIndex.sliceAxis(0, 0, newLength - start))) {
                        remaining.add(new Segment(model.manager(), view.duplicate()));
                    }
                }
                segment.release();
            }
        }
        segments.clear();
        segments.addAll(remaining);
        length = newLength;
    }

    /** Frees the segments this cache alone references; further use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            segments.forEach(Segment::release);
            segments.clear();
            length = 0;
        }
    }

    DecoderModel model() {
        return model;
    }

    /**
     * Returns the segments in order and takes a reference to each, so that they stay valid while a forward pass reads
     * them even if the cache is truncated or closed meanwhile. The caller releases them.
     */
    synchronized List<Segment> retainSegments() {
        requireOpen();
        List<Segment> snapshot = new ArrayList<>(segments);
        snapshot.forEach(Segment::retain);
        return snapshot;
    }

    /**
     * Appends the keys and values of {@code segment.length} new positions; the cache takes over the caller's reference.
     *
     * @throws IllegalStateException when the cache no longer has {@code expectedLength} positions, because another
     *     extension or a truncation ran while the forward pass did
     */
    synchronized void append(Segment segment, int expectedLength) {
        if (closed || length != expectedLength) {
            segment.release();
            throw new IllegalStateException(closed ? "key/value cache was closed during an extension"
                    : "key/value cache changed from " + expectedLength + " to " + length
                            + " positions during an extension; run one extension at a time on a cache");
        }
        segments.add(segment);
        length += segment.length;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("key/value cache is closed");
        }
    }

    /**
     * Keys and values of consecutive positions, shape (positions, 2 × layers, kvHeads, headDim), shared by every cache
     * that references it and closed when the last reference is released.
     */
    static final class Segment {
        final NDArray data;
        final int length;
        final long bytes;
        private int references = 1;

        /** Takes ownership of {@code data}: attaches it to {@code owner} and out of any open {@code NDScope}. */
        Segment(NDManager owner, NDArray data) {
            NDScope.unregister(data);
            data.attach(owner);
            this.data = data;
            this.length = Math.toIntExact(data.getShape().get(0));
            this.bytes = data.size() * data.getDataType().getNumOfBytes();
        }

        synchronized void retain() {
            if (references == 0) {
                throw new IllegalStateException("key/value segment was already freed; this is a bug");
            }
            references++;
        }

        synchronized void release() {
            if (--references == 0) {
                data.close();
            }
        }
    }
}
