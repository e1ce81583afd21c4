package dev.stepwise.core.safetensors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.safetensors.SafetensorsFormatException;
import dev.stepwise.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed header of one safetensors file: an 8-byte little-endian header length, then a JSON object mapping
 * tensor names to dtype, shape and data offsets, with optional string metadata under {@code __metadata__}.
 *
 * @param tensors entries in header order
 * @param metadata the {@code __metadata__} strings, empty when absent
 * @param dataOffset file position where tensor data begins (8 + header length)
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataOffset) {

    /** Header length limit, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and validates the header of {@code file} through an open channel. */
    public static SafetensorsHeader read(FileChannel channel, Path file) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafetensorsFormatException(file + ": file has " + fileSize + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            throw new SafetensorsFormatException(file + ": header length " + headerLength + " at byte 0 is invalid for a file of "
                    + fileSize + " bytes (limit " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SafetensorsFormatException(file + ": header at bytes 8.." + (8 + headerLength) + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file + ": header must be a JSON object");
        }
        long dataOffset = 8 + headerLength;
        return parse(root, file, fileSize - dataOffset, dataOffset);
    }

    private static SafetensorsHeader parse(JsonNode root, Path file, long dataBytes, long dataOffset)
            throws SafetensorsFormatException {
        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("__metadata__")) {
                field.getValue().fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            } else {
                tensors.add(parseTensor(field.getKey(), field.getValue(), file, dataBytes));
            }
        }
        return new SafetensorsHeader(List.copyOf(tensors), Map.copyOf(metadata), dataOffset);
    }

    private static TensorInfo parseTensor(String name, JsonNode entry, Path file, long dataBytes)
            throws SafetensorsFormatException {
        JsonNode dtype = entry.get("dtype");
        JsonNode shape = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new SafetensorsFormatException(file + ": tensor " + name
                    + " needs string dtype, array shape and two data_offsets, found " + entry);
        }
        List<Long> dimensions = new ArrayList<>();
        for (JsonNode dimension : shape) {
            if (!dimension.canConvertToLong() || dimension.asLong() < 0) {
                throw new SafetensorsFormatException(file + ": tensor " + name + " has invalid shape " + shape);
            }
            dimensions.add(dimension.asLong());
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new SafetensorsFormatException(file + ": tensor " + name + " has data_offsets " + offsets
                    + ", expected 0 <= begin <= end <= " + dataBytes + " (bytes after the header)");
        }
        TensorInfo info = new TensorInfo(name, dtype.asText(), dimensions, begin, end);
        checkByteLength(info, file);
        return info;
    }

    private static void checkByteLength(TensorInfo info, Path file) throws SafetensorsFormatException {
        StorageDtype dtype;
        try {
            dtype = StorageDtype.parse(info.dtype(), info.name(), file);
        } catch (SafetensorsFormatException e) {
            return; // other dtypes are still listed by readHeader; read() rejects them when loading
        }
        long expected = info.elementCount() * dtype.byteSize();
        if (info.dataEnd() - info.dataStart() != expected) {
            throw new SafetensorsFormatException(file + ": tensor " + info.name() + " of dtype " + info.dtype() + " and shape "
                    + info.shape() + " needs " + expected + " bytes, data_offsets give " + (info.dataEnd() - info.dataStart()));
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new SafetensorsFormatException("unexpected end of file at byte " + at);
            }
            at += read;
        }
    }
}
