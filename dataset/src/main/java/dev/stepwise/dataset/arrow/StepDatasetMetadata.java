package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a step dataset, written into the Arrow schema metadata.
 *
 * @param source          the dataset or file name the rows came from
 * @param tokenizerSha256 {@code TextTokenizer.sha256()} of the tokenizer that made the ids
 * @param separator       the step separator token text
 * @param separatorId     the separator's id as it occurs inside text
 * @param promptFormat    {@code PromptFormat.name()}
 * @param labelPolicy     the policy that made the labels; its label type sets the label column type
 * @param extra           more key/value pairs, for example auto-labelling settings; keys must not
 *                        start with {@code stepwise.} unless defined in {@link StepDatasetSchema}
 */
public record StepDatasetMetadata(String source, String tokenizerSha256, String separator, long separatorId,
                                  String promptFormat, LabelPolicy labelPolicy, Map<String, String> extra) {

    public StepDatasetMetadata {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tokenizerSha256, "tokenizerSha256");
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(promptFormat, "promptFormat");
        Objects.requireNonNull(labelPolicy, "labelPolicy");
        // Sorted: Map.copyOf iterates in an order that changes from JVM to JVM, and the entries are
        // written in iteration order, so equal metadata would give different file bytes.
        extra = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(Map.copyOf(extra)));
    }

    /** Returns the schema metadata map. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(StepDatasetSchema.META_SCHEMA_VERSION, Integer.toString(StepDatasetSchema.SCHEMA_VERSION));
        map.put(StepDatasetSchema.META_KIND, StepDatasetSchema.KIND_STEPS);
        map.put(StepDatasetSchema.META_SOURCE, source);
        map.put(StepDatasetSchema.META_TOKENIZER_SHA256, tokenizerSha256);
        map.put(StepDatasetSchema.META_SEPARATOR, separator);
        map.put(StepDatasetSchema.META_SEPARATOR_ID, Long.toString(separatorId));
        map.put(StepDatasetSchema.META_PROMPT_FORMAT, promptFormat);
        map.put(StepDatasetSchema.META_LABEL_POLICY, labelPolicy.describe());
        map.put(StepDatasetSchema.META_LABEL_TYPE, labelPolicy.labelType().name());
        map.put(StepDatasetSchema.META_IGNORE_VALUE, Integer.toString((int) StepLabels.IGNORE));
        map.putAll(extra);
        return map;
    }
}
