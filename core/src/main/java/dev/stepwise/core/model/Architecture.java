package dev.stepwise.core.model;

import java.util.List;

/**
 * Decoder families stepwise implements. They share one forward pass (RMSNorm, rotate-half rotary embeddings,
 * grouped-query attention, SwiGLU) and differ in biases: Qwen2 has q/k/v biases, Llama has them only with
 * {@code attention_bias}, Mistral never.
 */
public enum Architecture {
    LLAMA("llama", List.of("LlamaForCausalLM", "LlamaForSequenceClassification", "LlamaModel",
            "LlamaForTokenClassification")),
    QWEN2("qwen2", List.of("Qwen2ForCausalLM", "Qwen2ForSequenceClassification", "Qwen2Model",
            "Qwen2ForProcessRewardModel", "Qwen2ForRewardModel", "Qwen2ForTokenClassification")),
    MISTRAL("mistral", List.of("MistralForCausalLM", "MistralForSequenceClassification", "MistralModel",
            "MistralForTokenClassification"));

    private final String modelType;
    private final List<String> classNames;

    Architecture(String modelType, List<String> classNames) {
        this.modelType = modelType;
        this.classNames = classNames;
    }

    /** Returns the {@code model_type} value of {@code config.json}. */
    public String modelType() {
        return modelType;
    }

    /** Returns the {@code transformers} class names (the {@code architectures} entries) this family accepts. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns the family of a {@code model_type}, or null when stepwise does not implement it. */
    static Architecture ofModelType(String modelType) {
        for (Architecture architecture : values()) {
            if (architecture.modelType.equals(modelType)) {
                return architecture;
            }
        }
        return null;
    }

    /** Returns the family of a {@code transformers} class name, or null when stepwise does not implement it. */
    static Architecture ofClassName(String className) {
        for (Architecture architecture : values()) {
            if (architecture.classNames.contains(className)) {
                return architecture;
            }
        }
        return null;
    }
}
