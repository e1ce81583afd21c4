package dev.stepwise.dataset;

import java.util.Objects;

/**
 * How a problem and its steps are laid out as text for a model family.
 *
 * <p>The text of a trace is {@code problemText(problem)}, then for step {@code k} the piece
 * {@code (k == 0 ? firstStepPrefix : stepJoiner) + step + separatorPrefix + separator}.
 * {@link StepSegmenter} encodes the problem text and each piece on its own and concatenates the ids,
 * so the ids of the first k steps are always a prefix of the ids of k + 1 steps. The separator is
 * chosen by the segmenter's caller; {@link #defaultSeparator()} names the one the model family was
 * trained with.
 *
 * @param name             written into dataset metadata, for example {@code qwen2.5-math-prm}
 * @param problemTemplate  text before the first step; {@code {problem}} is replaced by the problem
 * @param firstStepPrefix  text before the first step
 * @param stepJoiner       text between a separator and the next step
 * @param separatorPrefix  text between a step and its separator
 * @param answerSuffix     text after the answer in the outcome (ORM) form; its last token is the
 *                         score position, so it must not be empty unless the answer's last token
 *                         is meant to be read
 * @param defaultSeparator the separator token of the model family, or null when there is none
 */
public record PromptFormat(String name, String problemTemplate, String firstStepPrefix, String stepJoiner,
                           String separatorPrefix, String answerSuffix, String defaultSeparator) {

    /** Placeholder that {@link #problemText} replaces with the problem. */
    public static final String PROBLEM_PLACEHOLDER = "{problem}";

    public PromptFormat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(problemTemplate, "problemTemplate");
        Objects.requireNonNull(firstStepPrefix, "firstStepPrefix");
        Objects.requireNonNull(stepJoiner, "stepJoiner");
        Objects.requireNonNull(separatorPrefix, "separatorPrefix");
        Objects.requireNonNull(answerSuffix, "answerSuffix");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Prompt format name must not be blank");
        }
        if (!problemTemplate.contains(PROBLEM_PLACEHOLDER)) {
            throw new IllegalArgumentException("Prompt template of format '" + name + "' must contain "
                    + PROBLEM_PLACEHOLDER + "; found \"" + problemTemplate + "\"");
        }
    }

    /**
     * Returns the Qwen2.5-Math-PRM chat layout: system prompt, the problem as the user turn, and the steps
     * in the assistant turn, each followed directly by {@code <extra_0>}.
     */
    public static PromptFormat qwenMathPrm() {
        return new PromptFormat("qwen2.5-math-prm",
                "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
                        + "<|im_start|>user\n" + PROBLEM_PLACEHOLDER + "<|im_end|>\n<|im_start|>assistant\n",
                "", "", "", "<|im_end|>", "<extra_0>");
    }

    /**
     * Returns the Math-Shepherd layout: the problem, a space, then steps separated by newlines, each
     * ending in {@code " ки"}.
     */
    public static PromptFormat mathShepherd() {
        return new PromptFormat("math-shepherd", PROBLEM_PLACEHOLDER, " ", "\n", " ", "", "ки");
    }

    /** Returns the plain layout: the problem, a newline, then one step per line, each followed by a space and the separator. */
    public static PromptFormat plain() {
        return new PromptFormat("plain", PROBLEM_PLACEHOLDER + "\n", "", "\n", " ", "", null);
    }

    /**
     * Returns a layout of the problem (or dialogue prompt) followed directly by the answer, with nothing added: for
     * preference pairs whose prompt already ends where the response starts, such as Anthropic HH.
     */
    public static PromptFormat concatenated() {
        return new PromptFormat("concat", PROBLEM_PLACEHOLDER, "", "\n", " ", "", null);
    }

    /** Looks up a built-in format by {@link #name()}. */
    public static PromptFormat named(String name) {
        return switch (name) {
            case "qwen2.5-math-prm" -> qwenMathPrm();
            case "math-shepherd" -> mathShepherd();
            case "plain" -> plain();
            case "concat" -> concatenated();
            default -> throw new IllegalArgumentException("Unknown prompt format '" + name
                    + "'; expected qwen2.5-math-prm, math-shepherd, plain or concat, or build one with the PromptFormat constructor");
        };
    }

    public String problemText(String problem) {
        return problemTemplate.replace(PROBLEM_PLACEHOLDER, problem);
    }

    /** Text of step {@code index} followed by its separator. */
    public String stepPiece(int index, String step, String separator) {
        return (index == 0 ? firstStepPrefix : stepJoiner) + step + separatorPrefix + separator;
    }

    /** Text of a whole answer in the outcome (ORM) form. */
    public String answerPiece(String answer) {
        return firstStepPrefix + answer + answerSuffix;
    }
}
