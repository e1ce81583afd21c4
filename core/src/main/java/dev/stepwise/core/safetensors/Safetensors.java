package dev.stepwise.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.safetensors.internal.SafetensorsHeader;
import dev.stepwise.core.safetensors.internal.SafetensorsReader;
import dev.stepwise.core.safetensors.internal.SafetensorsWriter;
import dev.stepwise.core.safetensors.internal.StorageDtype;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the Hugging Face safetensors format: single files, sharded checkpoints through
 * {@code model.safetensors.index.json}, and model folders holding either.
 *
 * <p>Reading maps tensor data into memory instead of copying it onto the heap. F32 tensors wrap the mapping, BF16
 * tensors are widened to float32 in Java (bit-exact), F16 tensors are converted to float32 by the engine. Integer
 * tensors keep their type. A tensor whose buffer would pass Java's 2 GiB limit, such as the float32 form of a
 * 152064 × 3584 embedding, is read and written in chunks of rows that the engine joins with one native copy.
 * All methods are thread-safe.
 */
public final class Safetensors {

    /** File name of an unsharded checkpoint in a model folder. */
    public static final String MODEL_FILE = "model.safetensors";
    /** File name of the shard index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The dtype floating-point tensors are stored as by {@link #write(Path, Map, Map, FloatDtype)}. */
    public enum FloatDtype {
        F32,
        F16,
        BF16
    }

    private Safetensors() {}

    /**
     * Reads every tensor of a safetensors file, a shard index or a model folder.
     *
     * @param fileOrIndexOrDir a {@code .safetensors} file, a {@code *.index.json} shard index, or a folder holding
     *     {@value #MODEL_FILE} or {@value #INDEX_FILE}
     * @param manager receives the arrays; closing it frees them and releases the mappings
     * @return tensor name to array, floating-point tensors as float32, in file order
     */
    public static Map<String, NDArray> read(Path fileOrIndexOrDir, NDManager manager) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        boolean complete = false;
        try {
            for (Path file : files(fileOrIndexOrDir)) {
                Map<String, NDArray> shard = SafetensorsReader.read(file, manager);
                for (Map.Entry<String, NDArray> entry : shard.entrySet()) {
                    NDArray previous = arrays.put(entry.getKey(), entry.getValue());
                    if (previous != null) {
                        shard.values().forEach(NDArray::close);
                        throw new SafetensorsFormatException(file + ": tensor " + entry.getKey()
                                + " is also stored in an earlier shard of " + fileOrIndexOrDir);
                    }
                }
            }
            complete = true;
            return arrays;
        } finally {
            if (!complete) {
                arrays.values().forEach(NDArray::close);
            }
        }
    }

    /** Reads only the headers: name, dtype and shape of every tensor, without mapping any data. */
    public static List<TensorInfo> readHeader(Path fileOrIndexOrDir) throws IOException {
        List<TensorInfo> tensors = new ArrayList<>();
        for (Path file : files(fileOrIndexOrDir)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                tensors.addAll(SafetensorsHeader.read(channel, file).tensors());
            }
        }
        return tensors;
    }

    /** Writes float32 tensors as F32; see {@link #write(Path, Map, Map, FloatDtype)}. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, FloatDtype.F32);
    }

    /**
     * Writes one safetensors file that {@code transformers} and vLLM load: tensors sorted by name, header padded to
     * 8 bytes, {@code __metadata__} with {@code format: pt} plus {@code metadata}. The file appears atomically: data
     * goes to a temporary file in the same folder that is then renamed over {@code file}.
     *
     * @param floatDtype storage of float32 arrays; BF16 rounds to nearest even, F16 uses the engine's conversion
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata,
            FloatDtype floatDtype) throws IOException {
        SafetensorsWriter.write(file, tensors, metadata, StorageDtype.valueOf(floatDtype.name()));
    }

    /** Returns the safetensors files behind a file, shard index or model folder, in shard order. */
    public static List<Path> files(Path fileOrIndexOrDir) throws IOException {
        if (Files.isDirectory(fileOrIndexOrDir)) {
            Path single = fileOrIndexOrDir.resolve(MODEL_FILE);
            Path index = fileOrIndexOrDir.resolve(INDEX_FILE);
            if (Files.isRegularFile(single)) {
                return List.of(single);
            }
            if (Files.isRegularFile(index)) {
                return shards(index);
            }
            throw new java.io.FileNotFoundException(fileOrIndexOrDir + ": folder has neither " + MODEL_FILE + " nor "
                    + INDEX_FILE);
        }
        if (!Files.isRegularFile(fileOrIndexOrDir)) {
            throw new java.io.FileNotFoundException(fileOrIndexOrDir + ": no such safetensors file, index or folder");
        }
        if (fileOrIndexOrDir.getFileName().toString().endsWith(".json")) {
            return shards(fileOrIndexOrDir);
        }
        return List.of(fileOrIndexOrDir);
    }

    private static List<Path> shards(Path index) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw new SafetensorsFormatException(index + ": shard index is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new SafetensorsFormatException(index + ": expected a non-empty \"weight_map\" object of tensor name to shard file");
        }
        Set<Path> files = new LinkedHashSet<>();
        Path folder = index.toAbsolutePath().getParent();
        for (JsonNode shard : weightMap) {
            Path file = folder.resolve(shard.asText()).normalize();
            if (!file.startsWith(folder)) {
                throw new SafetensorsFormatException(index + ": shard " + shard.asText() + " lies outside " + folder);
            }
            files.add(file);
        }
        return List.copyOf(files);
    }
}
