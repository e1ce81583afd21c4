package dev.stepwise.serve.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The served models by name, each with its batcher and effective input token limit. Immutable after construction. */
public final class ModelRegistry {

    /**
     * One served model.
     *
     * @param maxInputTokens the lower of the server's limit and the model's own
     */
    public record Model(String name, ScoringBackend backend, Batcher batcher, int maxInputTokens) {}

    private final Map<String, Model> models;

    public ModelRegistry(List<Model> models) {
        Map<String, Model> byName = new LinkedHashMap<>();
        for (Model model : models) {
            if (byName.putIfAbsent(model.name(), model) != null) {
                throw new IllegalArgumentException("two models are named '" + model.name() + "'; give each a distinct"
                        + " name with --model NAME=DIR");
            }
        }
        this.models = Collections.unmodifiableMap(byName);
    }

    public List<Model> all() {
        return new ArrayList<>(models.values());
    }

    /**
     * Returns the model a request names, or the only model of {@code kind} when it names none.
     *
     * @throws ApiException {@link ErrorType#MODEL_NOT_FOUND}, {@link ErrorType#WRONG_MODEL_KIND}, or
     *     {@link ErrorType#INVALID_REQUEST} when no name is given and the kind has several models
     */
    public Model resolve(String name, ScoringBackend.Kind kind) {
        if (name != null) {
            Model model = models.get(name);
            if (model == null) {
                throw new ApiException(ErrorType.MODEL_NOT_FOUND, "model '" + name + "' is not loaded; loaded models: "
                        + models.keySet());
            }
            if (model.backend().kind() != kind) {
                throw new ApiException(ErrorType.WRONG_MODEL_KIND, "model '" + name + "' is "
                        + withArticle(model.backend().kind()) + "; this route needs " + withArticle(kind)
                        + ". Loaded " + kind + " models: " + namesOf(kind));
            }
            return model;
        }
        List<String> candidates = namesOf(kind);
        if (candidates.size() == 1) {
            return models.get(candidates.get(0));
        }
        if (candidates.isEmpty()) {
            throw new ApiException(ErrorType.MODEL_NOT_FOUND, "no " + kind + " model is loaded; loaded models: "
                    + models.keySet());
        }
        throw new ApiException(ErrorType.INVALID_REQUEST, "several " + kind + " models are loaded, so the request must"
                + " name one in 'model': " + candidates);
    }

    /** Returns "a PRM" or "an ORM": the article follows the sound of the first letter. */
    private static String withArticle(ScoringBackend.Kind kind) {
        return (kind == ScoringBackend.Kind.ORM ? "an " : "a ") + kind;
    }

    private List<String> namesOf(ScoringBackend.Kind kind) {
        List<String> names = new ArrayList<>();
        models.values().stream().filter(m -> m.backend().kind() == kind).forEach(m -> names.add(m.name()));
        return names;
    }
}
