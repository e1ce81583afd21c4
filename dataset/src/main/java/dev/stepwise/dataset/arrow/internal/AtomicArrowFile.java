package dev.stepwise.dataset.arrow.internal;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An Arrow IPC file written batch by batch into a temporary file beside the target, and renamed to
 * the target only on {@link #commit()}. Closing without a commit deletes the temporary file, so a
 * crash or an exception never leaves a partial file under the target name.
 *
 * @param <R> the row type
 */
public final class AtomicArrowFile<R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicArrowFile.class);
    private static final java.security.SecureRandom TEMPORARY_NAMES = new java.security.SecureRandom();

    private final Path target;
    private final Path temporary;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final FileChannel channel;
    private final ArrowFileWriter writer;
    private final Map<String, String> footerMetadata = new LinkedHashMap<>();
    private final BiConsumer<VectorSchemaRoot, Map.Entry<Integer, R>> fillRow;
    private final int batchRows;
    private final java.util.List<R> pending;
    private long rowsWritten;
    private boolean committed;
    private boolean closed;

    /**
     * @param fillRow   writes one row into the root at the given row index
     * @param batchRows rows per record batch
     */
    public AtomicArrowFile(Path target, Schema schema, int batchRows,
                           BiConsumer<VectorSchemaRoot, Map.Entry<Integer, R>> fillRow) throws IOException {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1; found " + batchRows);
        }
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        // Files.createTempFile would make the file owner-only (0600) on POSIX systems, and the rename would carry
        // that mode to the target. Files.createFile applies the process umask, as any other output file gets.
        this.temporary = Files.createFile(dir.resolve("." + this.target.getFileName() + "."
                + Long.toUnsignedString(TEMPORARY_NAMES.nextLong()) + ".tmp"));
        this.batchRows = batchRows;
        this.pending = new java.util.ArrayList<>(batchRows);
        this.fillRow = fillRow;
        this.allocator = new RootAllocator();
        this.root = VectorSchemaRoot.create(schema, allocator);
        this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        // NOTE: ArrowFileWriter (Arrow 19) keeps this map by reference and writes it into the footer at
        // end(). Entries added before commit() therefore reach the file, and a test reads them back.
        this.writer = new ArrowFileWriter(root, null, channel, footerMetadata);
        writer.start();
    }

    public void add(R row) throws IOException {
        if (committed || closed) {
            throw new IllegalStateException("Arrow file " + target + " is already " + (committed ? "committed" : "closed"));
        }
        pending.add(row);
        if (pending.size() == batchRows) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        root.allocateNew();
        for (int i = 0; i < pending.size(); i++) {
            fillRow.accept(root, Map.entry(i, pending.get(i)));
        }
        root.setRowCount(pending.size());
        writer.writeBatch();
        rowsWritten += pending.size();
        pending.clear();
    }

    /** Sets a footer metadata entry; allowed until {@link #commit()}. */
    public void putFooterMetadata(String key, String value) {
        footerMetadata.put(key, value);
    }

    public long rowsWritten() {
        return rowsWritten + pending.size();
    }

    /** Writes the remaining rows and the footer, then renames the temporary file to the target. */
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        flush();
        writer.end();
        writer.close();
        channel.close();
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        LOG.debug("Wrote {} rows to {}", rowsWritten, target);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!committed) {
                writer.close();
                channel.close();
                Files.deleteIfExists(temporary);
                LOG.warn("Arrow file {} closed without commit; discarded {} rows", target, rowsWritten());
            }
        } finally {
            root.close();
            allocator.close();
        }
    }
}
