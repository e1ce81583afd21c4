package dev.stepwise.core.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.safetensors.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks and conversions between a model folder on disk and the weights of a {@code DecoderModel}. */
public final class ModelFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BACKBONE_PREFIX = "model.";

    private ModelFiles() {}

    /**
     * Renames checkpoint tensors to the names of a {@code *ForCausalLM} checkpoint: a bare backbone saved from
     * {@code LlamaModel} lacks the {@code model.} prefix. Drops rotary {@code inv_freq} buffers that old checkpoints
     * store, because the forward pass computes them from the config.
     */
    public static Map<String, NDArray> normalize(Map<String, NDArray> loaded, Path dir) {
        boolean bareBackbone = !loaded.containsKey(TensorNames.EMBED) && loaded.containsKey("embed_tokens.weight");
        if (bareBackbone) {
            LOG.info("{}: tensors have no \"model.\" prefix (a bare backbone checkpoint); adding it", dir);
        }
        Map<String, NDArray> normalized = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : loaded.entrySet()) {
            String name = entry.getKey();
            if (name.endsWith("rotary_emb.inv_freq")) {
                LOG.debug("{}: ignoring {}, rotary frequencies come from config.json", dir, name);
                entry.getValue().close();
                continue;
            }
            boolean backboneName = name.startsWith("embed_tokens.") || name.startsWith("layers.") || name.startsWith("norm.");
            normalized.put(bareBackbone && backboneName ? BACKBONE_PREFIX + name : name, entry.getValue());
        }
        return normalized;
    }

    /**
     * Checks that every backbone tensor of {@code config} is present with its shape and is floating point.
     *
     * @throws IllegalArgumentException naming up to ten missing or mismatched tensors
     */
    public static void validate(ModelConfig config, Map<String, NDArray> weights, Path dir) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Shape> expected : TensorNames.backbone(config).entrySet()) {
            NDArray array = weights.get(expected.getKey());
            if (array == null) {
                problems.add(expected.getKey() + " is missing");
            } else if (!array.getShape().equals(expected.getValue())) {
                problems.add(expected.getKey() + " has shape " + array.getShape() + ", expected " + expected.getValue());
            } else if (array.getDataType() != DataType.FLOAT32) {
                problems.add(expected.getKey() + " has type " + array.getDataType() + ", expected a floating-point dtype");
            }
        }
        if (!problems.isEmpty()) {
            List<String> listed = problems.subList(0, Math.min(10, problems.size()));
            throw new IllegalArgumentException(dir + ": checkpoint does not match config.json (" + config.architecture()
                    + ", " + config.numHiddenLayers() + " layers): " + String.join("; ", listed)
                    + (problems.size() > listed.size() ? "; and " + (problems.size() - listed.size()) + " more" : ""));
        }
    }

    /** Checks that {@code ids} is a non-empty (B, T) integer array with every id in [0, vocabSize). */
    public static void checkInput(NDArray ids, int vocabSize, String argumentName) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(0) < 1 || shape.get(1) < 1) {
            throw new IllegalArgumentException(argumentName + " must have shape (B, T) with B, T >= 1, found " + shape);
        }
        if (!ids.getDataType().isInteger()) {
            throw new IllegalArgumentException(argumentName + " must be an integer array, found " + ids.getDataType());
        }
        long[] values;
        try (NDArray wide = ids.toType(DataType.INT64, true)) {
            values = wide.toLongArray();
        }
        long length = shape.get(1);
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= vocabSize) {
                throw new IllegalArgumentException(argumentName + "[" + (i / length) + ", " + (i % length) + "] is " + values[i]
                        + ", expected a token id in [0, " + vocabSize + ")");
            }
        }
    }

    /** Writes config.json and model.safetensors into {@code dir}, each through a temporary file and a rename. */
    public static void save(Path dir, ModelConfig config, Map<String, NDArray> weights, Safetensors.FloatDtype dtype)
            throws IOException {
        Files.createDirectories(dir);
        ObjectNode json = config.toJson();
        json.put("torch_dtype", switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        });
        Path configFile = dir.resolve("config.json");
        Path temporary = Files.createTempFile(dir, ".config.json", ".tmp");
        try {
            Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temporary, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        Safetensors.write(dir.resolve(Safetensors.MODEL_FILE), weights, Map.of(), dtype);
    }
}
