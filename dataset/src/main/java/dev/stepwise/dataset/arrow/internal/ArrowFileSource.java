package dev.stepwise.dataset.arrow.internal;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Arrow IPC file opened through a memory mapping, with its allocator, current batch and merged
 * schema and footer metadata. Closing releases the batch, the reader and the allocator; a buffer
 * still held elsewhere makes the allocator's close fail, so leaks surface in tests.
 */
public final class ArrowFileSource implements AutoCloseable {

    private final Path file;
    private final BufferAllocator allocator;
    private final ArrowFileReader reader;
    private final Map<String, String> metadata;

    public ArrowFileSource(Path file, String expectedKind, String kindKey, String versionKey, int version)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Arrow dataset not found: " + file);
        }
        this.file = file;
        this.allocator = new RootAllocator();
        try {
            this.reader = new ArrowFileReader(MappedFileChannel.open(file), allocator);
            Map<String, String> merged = new LinkedHashMap<>();
            Map<String, String> schemaMetadata = reader.getVectorSchemaRoot().getSchema().getCustomMetadata();
            if (schemaMetadata != null) {
                merged.putAll(schemaMetadata);
            }
            if (reader.getMetaData() != null) {
                merged.putAll(reader.getMetaData());
            }
            this.metadata = Map.copyOf(merged);
        } catch (IOException | RuntimeException e) {
            allocator.close();
            throw new IOException("Failed to open " + file + " as an Arrow IPC file: " + e.getMessage(), e);
        }
        String kind = metadata.get(kindKey);
        String foundVersion = metadata.get(versionKey);
        if (!expectedKind.equals(kind) || !Integer.toString(version).equals(foundVersion)) {
            close();
            throw new IOException("Expected " + file + " to be a stepwise '" + expectedKind + "' dataset of schema version "
                    + version + "; found kind " + kind + ", version " + foundVersion);
        }
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public VectorSchemaRoot root() throws IOException {
        return reader.getVectorSchemaRoot();
    }

    public boolean loadNextBatch() throws IOException {
        return reader.loadNextBatch();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            allocator.close();
        }
    }
}
