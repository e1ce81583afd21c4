package dev.stepwise.dataset.arrow.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only {@link SeekableByteChannel} over a memory-mapped file, so Arrow's file reader pulls
 * record batches from the page cache instead of issuing a read call per buffer.
 *
 * <p>One mapping covers at most 2 GiB ({@link MappedByteBuffer} uses int indexes); larger files
 * are rejected by {@link #open} and read through a plain {@link FileChannel} by the caller.
 */
public final class MappedFileChannel implements SeekableByteChannel {

    private final MappedByteBuffer buffer;
    private boolean open = true;

    private MappedFileChannel(MappedByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Maps {@code file}, or returns a plain file channel when it is larger than one mapping allows. */
    public static SeekableByteChannel open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                return FileChannel.open(file, StandardOpenOption.READ);
            }
            return new MappedFileChannel(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        }
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining()) {
            return -1;
        }
        int count = Math.min(destination.remaining(), buffer.remaining());
        ByteBuffer slice = buffer.slice(buffer.position(), count);
        destination.put(slice);
        buffer.position(buffer.position() + count);
        return count;
    }

    @Override
    public int write(ByteBuffer source) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return buffer.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0 || newPosition > buffer.limit()) {
            throw new IOException("Position " + newPosition + " is outside the mapped file of " + buffer.limit() + " bytes");
        }
        buffer.position((int) newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return buffer.limit();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
