package dev.stepwise.dataset;

import java.util.Objects;

/**
 * Two responses to one prompt, one preferred: the record model of outcome (ORM) preference data.
 *
 * @param prompt   the shared context, including any earlier dialogue turns
 * @param chosen   the preferred continuation of the prompt
 * @param rejected the other continuation
 */
public record PreferencePair(String id, String source, String prompt, String chosen, String rejected) {

    public PreferencePair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(prompt, "prompt of pair " + id);
        Objects.requireNonNull(chosen, "chosen of pair " + id);
        Objects.requireNonNull(rejected, "rejected of pair " + id);
    }
}
