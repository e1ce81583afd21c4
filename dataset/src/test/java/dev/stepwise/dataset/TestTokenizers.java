package dev.stepwise.dataset;

import dev.stepwise.core.tokenizer.TextTokenizer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tokenizers for dataset tests: a hand-written WordLevel tokenizer whose ids can be worked out by
 * hand, and the real Qwen2.5 tokenizer from the shared data folder.
 *
 * <p>The WordLevel tokenizer splits on whitespace and between word and punctuation characters
 * ({@code \w+|[^\w\s]+}); unknown words become {@code [UNK]} = 0.
 */
public final class TestTokenizers {

    /** Vocabulary in id order. */
    public static final String[] WORDS = {
        "[UNK]", "Q", ":", "a", "?", "=", "1", "b", "+", "x",
        "2", "y", "3", "ки", "Step", "answer", "the", "is", "7", "#",
        "Answer", "29", "so", ".", ","
    };

    /** Id that {@code <extra_0>} gets when registered on the WordLevel tokenizer. */
    public static final long EXTRA_0 = WORDS.length;

    private TestTokenizers() {
    }

    public static TextTokenizer wordLevel(Path dir) throws IOException {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < WORDS.length; i++) {
            vocab.append(i == 0 ? "" : ", ").append('"').append(WORDS[i]).append("\": ").append(i);
        }
        String json = """
                {
                  "version": "1.0", "truncation": null, "padding": null,
                  "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false,
                                    "rstrip": false, "normalized": false, "special": true}],
                  "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                  "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}
                }
                """.formatted(vocab);
        Path file = dir.resolve("word-level-tokenizer.json");
        Files.writeString(file, json);
        return TextTokenizer.load(file);
    }

    /** Returns the shared data folder, or skips the test when {@code STEPWISE_SHARED_DATA} is unset. */
    public static Path sharedData() {
        String shared = System.getenv("STEPWISE_SHARED_DATA");
        Assumptions.assumeTrue(shared != null,
                "STEPWISE_SHARED_DATA is not set; set it to the shared data folder to run tests on real data");
        return Path.of(shared);
    }

    public static TextTokenizer qwen() throws IOException {
        return TextTokenizer.load(sharedData().resolve("tokenizers").resolve("qwen2.5"));
    }
}
