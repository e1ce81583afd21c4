package dev.stepwise.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/**
 * A validated, tokenized request: the model that scores it, its inputs in request order, and how to write the
 * response once every input has scores.
 *
 * @param incremental whether the inputs go through the prefix cache instead of the batch queue
 * @param cacheNamespace the prefix cache namespace of an incremental request, {@link PrefixCache#DEFAULT_NAMESPACE}
 *     when it names none
 * @param render builds the response body from the completed request; runs on the event loop
 */
public record PreparedRequest(
        ModelRegistry.Model model,
        List<ScoringInput> inputs,
        boolean incremental,
        String cacheNamespace,
        Function<PendingRequest, JsonNode> render) {

    /** A request in the default prefix cache namespace. */
    public PreparedRequest(ModelRegistry.Model model, List<ScoringInput> inputs, boolean incremental,
            Function<PendingRequest, JsonNode> render) {
        this(model, inputs, incremental, PrefixCache.DEFAULT_NAMESPACE, render);
    }
}
