package dev.stepwise.core.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests on a small hand-written WordLevel tokenizer; the Qwen2.5 tests are in {@link QwenTokenizerTest}. */
class TextTokenizerTest {

    /** Words split on whitespace and punctuation; ids in the order listed. */
    static final String WORD_LEVEL_JSON = """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
                {"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true}
              ],
              "normalizer": null,
              "pre_tokenizer": {"type": "Whitespace"},
              "post_processor": null,
              "decoder": null,
              "model": {
                "type": "WordLevel",
                "vocab": {"[UNK]": 0, "a": 1, "=": 2, "1": 3, "b": 4, "+": 5, "ки": 6, "x": 7, "y": 8, "2": 9,
                          "Q": 10, ":": 11, "Step": 12, "?": 13},
                "unk_token": "[UNK]"
              }
            }
            """;

    static Path writeWordLevel(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, WORD_LEVEL_JSON);
        return file;
    }

    @Test
    void wordLevelGivesExactIdsAndSpans(@TempDir Path dir) throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevel(dir))) {
            Encoding encoding = tokenizer.encode("a=1 ки b+x");

            assertArrayEquals(new long[] {1, 2, 3, 6, 4, 5, 7}, encoding.ids());
            assertArrayEquals(new int[] {0, 1, 2, 4, 7, 8, 9}, encoding.charStart());
            assertArrayEquals(new int[] {1, 2, 3, 6, 8, 9, 10}, encoding.charEnd());
        }
    }

    @Test
    void folderAndFileLoadTheSameTokenizer(@TempDir Path dir) throws IOException {
        writeWordLevel(dir);
        try (TextTokenizer fromFolder = TextTokenizer.load(dir);
             TextTokenizer fromFile = TextTokenizer.load(dir.resolve("tokenizer.json"))) {
            assertEquals(fromFile.sha256(), fromFolder.sha256());
            assertEquals(fromFile.encode("Q: a?"), fromFolder.encode("Q: a?"));
        }
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        IOException error = assertThrows(IOException.class, () -> TextTokenizer.load(dir));
        assertTrue(error.getMessage().contains(dir.resolve("tokenizer.json").toString()), error.getMessage());
    }

    @Test
    void tokenIdAndVocabSizeFromJson(@TempDir Path dir) throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevel(dir))) {
            assertEquals(OptionalLong.of(6), tokenizer.tokenId("ки"));
            assertEquals(OptionalLong.empty(), tokenizer.tokenId("<extra_0>"));
            assertEquals(14, tokenizer.vocabSize());
        }
    }

    @Test
    void registeredTokenEncodesAsOneSpecialToken(@TempDir Path dir) throws IOException {
        try (TextTokenizer base = TextTokenizer.load(writeWordLevel(dir));
             TextTokenizer extended = base.withSpecialTokens(List.of("<extra_0>"))) {
            Encoding encoding = extended.encode("a=1<extra_0>b");

            assertArrayEquals(new long[] {1, 2, 3, 14, 4}, encoding.ids());
            assertArrayEquals(new int[] {0, 1, 2, 3, 12}, encoding.charStart());
            assertArrayEquals(new int[] {1, 2, 3, 12, 13}, encoding.charEnd());
            assertEquals(OptionalLong.of(14), extended.tokenId("<extra_0>"));
            assertEquals(15, extended.vocabSize());
            assertEquals(List.of("<extra_0>"), extended.registeredTokens());
            assertNotEquals(base.sha256(), extended.sha256());
            assertArrayEquals(new long[] {1, 2, 3, 0, 0, 0, 4}, base.encode("a=1<extra_0>b").ids(),
                    "the loaded tokenizer must stay unchanged");
        }
    }

    @Test
    void savedTokenizerKeepsRegisteredToken(@TempDir Path dir) throws IOException {
        Path saved = dir.resolve("saved");
        String hash;
        try (TextTokenizer base = TextTokenizer.load(writeWordLevel(dir));
             TextTokenizer extended = base.withSpecialTokens(List.of("<extra_0>"))) {
            extended.save(saved);
            hash = extended.sha256();
        }
        try (TextTokenizer reloaded = TextTokenizer.load(saved)) {
            assertEquals(hash, reloaded.sha256());
            assertEquals(OptionalLong.of(14), reloaded.tokenId("<extra_0>"));
            assertArrayEquals(new long[] {7, 14, 8}, reloaded.encode("x<extra_0>y").ids());
        }
    }

    @Test
    void closingDeletesTheRewrittenFile(@TempDir Path dir) throws IOException {
        long before;
        try (TextTokenizer base = TextTokenizer.load(writeWordLevel(dir))) {
            before = countTemporaryTokenizers();
            TextTokenizer extended = base.withSpecialTokens(List.of("<extra_0>"));
            assertEquals(before + 1, countTemporaryTokenizers());
            extended.close();
        }
        assertEquals(before, countTemporaryTokenizers());
    }

    private static long countTemporaryTokenizers() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("stepwise-tokenizer-")).count();
        }
    }

    @Test
    void configSuppliesSpecialIds(@TempDir Path dir) throws IOException {
        writeWordLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"eos_token": {"content": "Q"}, "pad_token": "[UNK]", "bos_token": null}
                """);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertEquals(OptionalLong.of(10), tokenizer.eosId());
            assertEquals(OptionalLong.of(0), tokenizer.padId());
            assertEquals(OptionalLong.empty(), tokenizer.bosId());
        }
    }

    @Test
    void configAddedTokenMissingFromJsonIsRegistered(@TempDir Path dir) throws IOException {
        writeWordLevel(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"added_tokens_decoder": {"14": {"content": "<sep>", "special": true}}}
                """);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertEquals(List.of("<sep>"), tokenizer.registeredTokens());
            assertArrayEquals(new long[] {1, 14, 4}, tokenizer.encode("a<sep>b").ids());
        }
    }
}
