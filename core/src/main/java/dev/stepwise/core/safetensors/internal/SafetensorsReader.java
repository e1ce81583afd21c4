package dev.stepwise.core.safetensors.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one safetensors file into arrays over memory-mapped tensor data.
 *
 * <p>Each tensor gets its own mapping, so no tensor is limited by the whole file size and no copy of the file lands
 * on the Java heap. Mappings are {@code MapMode.PRIVATE} (copy-on-write): an in-place update of a weight, such as an
 * optimizer step, touches private pages and never the file, whereas an in-place op on a READ_ONLY mapping crashes the
 * JVM. When the file cannot be opened for writing (a read-only file system), each tensor is copied into a direct
 * buffer instead, which costs native memory but still no heap.
 */
public final class SafetensorsReader {

    private static final Logger LOG = LoggerFactory.getLogger(SafetensorsReader.class);

    /** Largest Java buffer the reader creates: one mapping or one widened BF16 chunk, in bytes. */
    public static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE & ~7L;

    private SafetensorsReader() {}

    /** Reads every tensor of {@code file}; arrays are float32 for F32/F16/BF16 data, attached to {@code manager}. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        return read(file, manager, MAX_BUFFER_BYTES);
    }

    /**
     * Reads every tensor of {@code file}. A tensor whose buffer would exceed {@code maxBufferBytes} is read in
     * chunks of rows (axis 0) that are concatenated by the engine, which copies it once in native memory.
     */
    public static Map<String, NDArray> read(Path file, NDManager manager, long maxBufferBytes) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        boolean complete = false;
        try (FileChannel channel = open(file)) {
            boolean privateMapping = isWritable(channel);
            SafetensorsHeader header = SafetensorsHeader.read(channel, file);
            for (TensorInfo info : header.tensors()) {
                StorageDtype dtype = StorageDtype.parse(info.dtype(), info.name(), file);
                long position = header.dataOffset() + info.dataStart();
                arrays.put(info.name(), readTensor(channel, position, info, dtype, privateMapping, manager,
                        maxBufferBytes));
            }
            complete = true;
            return arrays;
        } finally {
            if (!complete) {
                arrays.values().forEach(NDArray::close);
            }
        }
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            LOG.debug("{} is not writable, tensors are copied instead of mapped copy-on-write", file);
        } catch (FileSystemException e) {
            LOG.debug("{} cannot be opened for writing ({}), tensors are copied instead of mapped copy-on-write", file,
                    e.getReason());
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static boolean isWritable(FileChannel channel) {
        try {
            channel.map(FileChannel.MapMode.PRIVATE, 0, 0);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static NDArray readTensor(FileChannel channel, long position, TensorInfo info, StorageDtype dtype,
            boolean privateMapping, NDManager manager, long maxBufferBytes) throws IOException {
        Shape shape = new Shape(info.shapeArray());
        // BF16 is widened into a new buffer of 4 bytes per element; other dtypes map their stored bytes
        long bufferBytesPerElement = dtype == StorageDtype.BF16 ? 4 : dtype.byteSize();
        long elements = info.elementCount();
        if (elements * bufferBytesPerElement <= maxBufferBytes || shape.dimension() == 0) {
            ByteBuffer data = map(channel, position, elements * dtype.byteSize(), privateMapping);
            return toArray(data, dtype, shape, manager);
        }
        long rows = shape.get(0);
        long rowElements = elements / rows;
        long rowsPerChunk = maxBufferBytes / (rowElements * bufferBytesPerElement);
        if (rowsPerChunk < 1) {
            throw new UnsupportedOperationException("tensor " + info.name() + " has rows of " + rowElements * bufferBytesPerElement
                    + " bytes, above the " + maxBufferBytes + "-byte limit of one Java buffer");
        }
        try (NDList parts = new NDList()) {
            for (long start = 0; start < rows; start += rowsPerChunk) {
                long count = Math.min(rowsPerChunk, rows - start);
                ByteBuffer data = map(channel, position + start * rowElements * dtype.byteSize(),
                        count * rowElements * dtype.byteSize(), privateMapping);
                long[] partShape = shape.getShape();
                partShape[0] = count;
                parts.add(toArray(data, dtype, new Shape(partShape), manager));
            }
            return NDArrays.concat(parts, 0);
        }
    }

    private static ByteBuffer map(FileChannel channel, long position, long length, boolean privateMapping)
            throws IOException {
        if (privateMapping) {
            return channel.map(FileChannel.MapMode.PRIVATE, position, length).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer readOnly = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
        ByteBuffer copy = ByteBuffer.allocateDirect((int) length).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(readOnly).flip();
        return copy;
    }

    private static NDArray toArray(ByteBuffer data, StorageDtype dtype, Shape shape, NDManager manager) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && dtype.byteSize() > 1) {
            throw new UnsupportedOperationException("safetensors data is little-endian; this platform is "
                    + ByteOrder.nativeOrder());
        }
        if (shape.size() == 0) {
            return manager.zeros(shape, dtype.loadedType());
        }
        switch (dtype) {
            case BF16:
                return manager.create(BFloat16.widen(data), shape, DataType.FLOAT32);
            case F16:
                try (NDArray half = manager.create(data, shape, DataType.FLOAT16)) {
                    return half.toType(DataType.FLOAT32, true);
                }
            default:
                return manager.create(data, shape, dtype.loadedType());
        }
    }
}
