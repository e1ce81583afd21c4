package dev.stepwise.cli;

import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.PromptFormat;
import dev.stepwise.dataset.StepSegmenter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Tokenizer, prompt format and separator options shared by {@code dataset import} and {@code dataset tokenize}. */
final class DatasetSegmenterOptions {

    @Option(names = "--tokenizer", required = true,
            description = "tokenizer.json file, or a folder with tokenizer.json and tokenizer_config.json.")
    Path tokenizer;

    /** Prompt format when {@code --prompt-format} and {@code --prompt-template} are both absent at import. */
    static final String DEFAULT_PROMPT_FORMAT = "plain";

    @Option(names = "--prompt-format",
            description = "Layout of problem and steps: qwen2.5-math-prm, math-shepherd, plain or concat "
                    + "(default: plain for import, the input file's format for tokenize); --prompt-template "
                    + "overrides it.")
    String promptFormat;

    @Option(names = "--prompt-template",
            description = "Custom layout: text before the first step, with {problem} where the problem goes.")
    String promptTemplate;

    @Option(names = "--first-step-prefix", defaultValue = "",
            description = "Custom layout: text before the first step (default: empty).")
    String firstStepPrefix;

    @Option(names = "--step-joiner", defaultValue = "\n",
            description = "Custom layout: text between a separator and the next step (default: a newline).")
    String stepJoiner;

    @Option(names = "--separator-prefix", defaultValue = " ",
            description = "Custom layout: text between a step and its separator (default: one space).")
    String separatorPrefix;

    @Option(names = "--answer-suffix", defaultValue = "",
            description = "Custom layout: text after a whole response in preference pairs, whose last token is read (default: empty).")
    String answerSuffix;

    @Option(names = {"--separator", "--step-separator"},
            description = "Step separator token (default: the prompt format's own, <extra_0> for qwen2.5-math-prm, "
                    + "ки for math-shepherd; plain and custom layouts need one). Tokenize without --prompt-format, "
                    + "--prompt-template or --separator keeps the input file's separator.")
    String separator;

    @Option(names = "--register-separator",
            description = "Register the separator as a special token when it is not one token in context "
                    + "(default: stop with an error).")
    boolean registerSeparator;

    @Option(names = "--max-tokens", defaultValue = "4096",
            description = "Maximum input ids per row; steps are cut at step boundaries (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    /** True when none of --prompt-format, --prompt-template and --separator was given. */
    boolean layoutUnset() {
        return promptFormat == null && promptTemplate == null && separator == null;
    }

    PromptFormat format() {
        if (promptTemplate == null) {
            String name = promptFormat == null ? DEFAULT_PROMPT_FORMAT : promptFormat;
            if (!List.of("qwen2.5-math-prm", "math-shepherd", "plain", "concat").contains(name)) {
                throw new IllegalArgumentException("--prompt-format: unknown prompt format '" + name + "'; expected "
                        + "qwen2.5-math-prm, math-shepherd, plain or concat, or pass --prompt-template for a custom "
                        + "layout");
            }
            return PromptFormat.named(name);
        }
        return new PromptFormat("custom", promptTemplate, firstStepPrefix, stepJoiner, separatorPrefix, answerSuffix,
                null);
    }

    String separator(PromptFormat format) {
        if (separator != null) {
            return separator;
        }
        if (format.defaultSeparator() == null) {
            throw new IllegalArgumentException("prompt format '" + format.name()
                    + "' has no default separator; pass --separator, for example --separator '<extra_0>'");
        }
        return format.defaultSeparator();
    }

    /** A loaded tokenizer, possibly with the separator registered, and the segmenter over it. */
    record Loaded(TextTokenizer base, TextTokenizer tokenizer, StepSegmenter segmenter) implements AutoCloseable {
        @Override
        public void close() {
            if (tokenizer != base) {
                tokenizer.close();
            }
            base.close();
        }
    }

    Loaded load() throws IOException {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens must be at least 1, found: " + maxTokens);
        }
        PromptFormat format = format();
        String sep = separator(format);
        TextTokenizer base = TextTokenizer.load(tokenizer);
        try {
            TextTokenizer effective = base;
            if (!StepSegmenter.isOneTokenInContext(base, format, sep) && registerSeparator) {
                effective = base.withSpecialTokens(List.of(sep));
            }
            return new Loaded(base, effective, new StepSegmenter(effective, format, sep, maxTokens));
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
        }
    }
}
