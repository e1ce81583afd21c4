package dev.stepwise.prm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Reads the tensor names from a safetensors header: 8-byte little-endian length, then a JSON object. */
public final class SafetensorsNames {

    private SafetensorsNames() {}

    public static Set<String> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            ByteBuffer header = ByteBuffer.allocate((int) length.flip().getLong());
            channel.read(header, 8);
            JsonNode json = new ObjectMapper().readTree(header.array());
            Set<String> names = new TreeSet<>();
            json.fieldNames().forEachRemaining(names::add);
            names.remove("__metadata__");
            return names;
        }
    }
}
