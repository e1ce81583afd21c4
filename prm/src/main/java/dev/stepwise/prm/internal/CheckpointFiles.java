package dev.stepwise.prm.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checkpoint folders {@code checkpoint-NNNNNNNN} (8-digit step number) holding {@code parameters.ndlist} and
 * {@code optimizer.ndlist} in DJL's NDList encoding, plus {@code step.txt}. A folder is written under a temporary
 * name and renamed, so a killed run never leaves a half-written checkpoint under the final name.
 */
public final class CheckpointFiles {

    private static final String PREFIX = "checkpoint-";
    private static final String PARAMETERS = "parameters.ndlist";
    private static final String OPTIMIZER = "optimizer.ndlist";
    private static final String STEP = "step.txt";

    private CheckpointFiles() {}

    /**
     * Arrays read back from a checkpoint.
     *
     * @param parameters trainable weights, named as in the trainer
     * @param optimizerState AdamW moments named {@code m/NAME} and {@code v/NAME}
     * @param step optimizer steps completed when it was written
     */
    public record Loaded(NDList parameters, NDList optimizerState, long step) {}

    /** Writes one checkpoint and returns its folder. */
    public static Path write(Path checkpointsDir, long step, NDList parameters, NDList optimizerState)
            throws IOException {
        Files.createDirectories(checkpointsDir);
        String name = String.format("%s%08d", PREFIX, step);
        Path temporary = checkpointsDir.resolve(name + ".tmp");
        deleteRecursively(temporary);
        Files.createDirectories(temporary);
        try (OutputStream out = Files.newOutputStream(temporary.resolve(PARAMETERS))) {
            parameters.encode(out);
        }
        try (OutputStream out = Files.newOutputStream(temporary.resolve(OPTIMIZER))) {
            optimizerState.encode(out);
        }
        Files.writeString(temporary.resolve(STEP), Long.toString(step));
        Path target = checkpointsDir.resolve(name);
        deleteRecursively(target);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Returns the checkpoint folder with the highest step, or null when there is none. */
    public static Path latest(Path checkpointsDir) throws IOException {
        if (!Files.isDirectory(checkpointsDir)) {
            return null;
        }
        try (Stream<Path> children = Files.list(checkpointsDir)) {
            return children
                    .filter(p -> p.getFileName().toString().matches(PREFIX + "\\d{8}") && Files.isDirectory(p))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElse(null);
        }
    }

    /** Reads a checkpoint folder into arrays owned by {@code manager}. */
    public static Loaded read(Path checkpoint, NDManager manager) throws IOException {
        NDList parameters;
        NDList optimizerState;
        try (InputStream in = Files.newInputStream(checkpoint.resolve(PARAMETERS))) {
            parameters = NDList.decode(manager, in);
        }
        try (InputStream in = Files.newInputStream(checkpoint.resolve(OPTIMIZER))) {
            optimizerState = NDList.decode(manager, in);
        }
        String stepText = Files.readString(checkpoint.resolve(STEP)).trim();
        long step;
        try {
            step = Long.parseLong(stepText);
        } catch (NumberFormatException e) {
            throw new IOException("invalid step number '" + stepText + "' in " + checkpoint.resolve(STEP), e);
        }
        return new Loaded(parameters, optimizerState, step);
    }

    /**
     * Copies checkpoint arrays into the trainer's weights, matching by name.
     *
     * @throws IllegalArgumentException when the names or shapes differ, listing the difference
     */
    public static void copyInto(NDList parameters, Map<String, NDArray> targets, Path checkpoint) {
        Set<String> found = new HashSet<>();
        for (NDArray array : parameters) {
            NDArray target = targets.get(array.getName());
            if (target == null) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " has weight '" + array.getName()
                        + "' that this run does not train; expected names: " + targets.keySet());
            }
            if (!target.getShape().equals(array.getShape())) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " weight '" + array.getName()
                        + "' has shape " + array.getShape() + ", expected " + target.getShape());
            }
            target.set(array.toFloatArray());
            found.add(array.getName());
        }
        if (!found.equals(targets.keySet())) {
            List<String> missing = targets.keySet().stream().filter(n -> !found.contains(n)).collect(Collectors.toList());
            throw new IllegalArgumentException("checkpoint " + checkpoint + " lacks trained weights " + missing);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
