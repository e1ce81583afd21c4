package dev.stepwise.serve;

import java.nio.file.Path;

/**
 * A model folder to serve and the name clients use for it.
 *
 * @param name the value of {@code "model"} in requests; letters, digits, {@code . _ -}
 * @param dir a Hugging Face folder ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}) with
 *     {@code stepwise.json}, whose {@code task} decides whether the model is served as a PRM or an ORM
 */
public record ModelSource(String name, Path dir) {

    public ModelSource {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("model name must be letters, digits, '.', '_' or '-', found: " + name);
        }
        if (dir == null) {
            throw new IllegalArgumentException("model folder of '" + name + "' must not be null");
        }
    }

    /**
     * Parses {@code NAME=DIR}, or a plain {@code DIR} named after its last path element.
     *
     * @throws IllegalArgumentException when the name part is empty or invalid
     */
    public static ModelSource parse(String text) {
        int equals = text.indexOf('=');
        if (equals == 0) {
            throw new IllegalArgumentException("model name is empty in '" + text + "'; write NAME=DIR, or DIR alone"
                    + " to name the model after its folder");
        }
        if (equals > 0) {
            return new ModelSource(text.substring(0, equals), Path.of(text.substring(equals + 1)));
        }
        Path dir = Path.of(text);
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        return new ModelSource(fileName == null ? "model" : fileName.toString(), dir);
    }
}
