package dev.stepwise.core.safetensors.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes arrays as one safetensors file through a temporary file in the same folder and an atomic rename. */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} sorted by name. Float32 arrays are stored as {@code floatDtype} (F32, F16 or BF16); other
     * arrays keep their own type. The header gets {@code format: pt} in {@code __metadata__} unless the caller sets it.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata,
            StorageDtype floatDtype) throws IOException {
        write(file, tensors, metadata, floatDtype, SafetensorsReader.MAX_BUFFER_BYTES);
    }

    /**
     * Writes as {@link #write(Path, Map, Map, StorageDtype)} does; an array of more than {@code maxBufferBytes} is
     * copied out of the engine in chunks of rows (axis 0), because one Java buffer has at most 2 GiB.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata,
            StorageDtype floatDtype, long maxBufferBytes) throws IOException {
        if (floatDtype != StorageDtype.F32 && floatDtype != StorageDtype.F16 && floatDtype != StorageDtype.BF16) {
            throw new IllegalArgumentException("floatDtype must be F32, F16 or BF16, found " + floatDtype);
        }
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        List<StorageDtype> dtypes = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : sorted.entrySet()) {
            dtypes.add(storageDtype(entry.getKey(), entry.getValue(), floatDtype));
        }
        byte[] header = header(sorted, dtypes, metadata);

        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(channel, length);
                writeFully(channel, ByteBuffer.wrap(header));
                int index = 0;
                for (Map.Entry<String, NDArray> entry : sorted.entrySet()) {
                    writeTensor(channel, entry.getKey(), entry.getValue(), dtypes.get(index++), maxBufferBytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static StorageDtype storageDtype(String name, NDArray array, StorageDtype floatDtype) {
        DataType type = array.getDataType();
        return type == DataType.FLOAT32 ? floatDtype : StorageDtype.of(type, name);
    }

    private static byte[] header(Map<String, NDArray> tensors, List<StorageDtype> dtypes, Map<String, String> metadata) {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        ObjectNode meta = root.putObject("__metadata__");
        meta.put("format", "pt");
        metadata.forEach(meta::put);
        long offset = 0;
        int index = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            StorageDtype dtype = dtypes.get(index++);
            long bytes = entry.getValue().size() * dtype.byteSize();
            ObjectNode tensor = root.putObject(entry.getKey());
            tensor.put("dtype", dtype.name());
            ArrayNode shape = tensor.putArray("shape");
            for (long dimension : entry.getValue().getShape().getShape()) {
                shape.add(dimension);
            }
            tensor.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces so tensor data starts at a multiple of 8 bytes, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static void writeTensor(FileChannel channel, String name, NDArray array, StorageDtype dtype,
            long maxBufferBytes) throws IOException {
        long bytesPerElement = array.getDataType().getNumOfBytes();
        Shape shape = array.getShape();
        if (array.size() * bytesPerElement <= maxBufferBytes || shape.dimension() == 0) {
            writeFully(channel, encode(array, dtype));
            return;
        }
        long rows = shape.get(0);
        long rowsPerChunk = maxBufferBytes / (array.size() / rows * bytesPerElement);
        if (rowsPerChunk < 1) {
            throw new UnsupportedOperationException("tensor " + name + " has rows of " + array.size() / rows * bytesPerElement
                    + " bytes, above the " + maxBufferBytes + "-byte limit of one Java buffer");
        }
        for (long start = 0; start < rows; start += rowsPerChunk) {
            try (NDArray rowsChunk = array.get(NDIndex.sliceAxis(0, start, Math.min(rows, start + rowsPerChunk)))) {
                writeFully(channel, encode(rowsChunk, dtype));
            }
        }
    }

    private static ByteBuffer encode(NDArray array, StorageDtype dtype) {
        if (array.size() == 0) {
            return ByteBuffer.allocate(0);
        }
        switch (dtype) {
            case BF16:
                return BFloat16.narrow(array.toByteBuffer());
            case F16:
                if (array.getDataType() == DataType.FLOAT16) {
                    return littleEndian(array.toByteBuffer());
                }
                try (NDArray half = array.toType(DataType.FLOAT16, true)) {
                    return littleEndian(half.toByteBuffer());
                }
            default:
                return littleEndian(array.toByteBuffer());
        }
    }

    private static ByteBuffer littleEndian(ByteBuffer nativeOrder) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("safetensors data is little-endian; this platform is "
                    + ByteOrder.nativeOrder());
        }
        return nativeOrder;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
