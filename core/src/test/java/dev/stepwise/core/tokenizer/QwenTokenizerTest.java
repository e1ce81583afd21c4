package dev.stepwise.core.tokenizer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tests on the real Qwen2.5 tokenizer from the shared data folder. */
class QwenTokenizerTest {

    static TextTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() throws IOException {
        String shared = System.getenv("STEPWISE_SHARED_DATA");
        assumeTrue(shared != null, "STEPWISE_SHARED_DATA is not set; it must point at the shared data folder "
                + "with tokenizers/qwen2.5");
        tokenizer = TextTokenizer.load(Path.of(shared, "tokenizers", "qwen2.5"));
    }

    @AfterAll
    static void closeTokenizer() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void encodesWithoutSpecialTokens() throws IOException {
        assertArrayEquals(new long[] {8304, 220, 16, 25, 220, 17, 10, 17, 28, 19},
                tokenizer.encode("Step 1: 2+2=4").ids());
    }

    @Test
    void cyrillicOffsetsAreCharIndexes() throws IOException {
        String text = "5 ки";
        Encoding encoding = tokenizer.encode(text);

        assertArrayEquals(new long[] {20, 7665, 1802}, encoding.ids());
        assertArrayEquals(new int[] {0, 1, 3}, encoding.charStart());
        assertArrayEquals(new int[] {1, 3, 4}, encoding.charEnd());
    }

    @Test
    void surrogatePairOffsetsAreUtf16Indexes() throws IOException {
        String text = "a 😀 x ки";
        Encoding encoding = tokenizer.encode(text);
        int last = encoding.size() - 1;

        assertEquals(text.length(), encoding.charEnd()[last]);
        assertEquals("и", text.substring(encoding.charStart()[last], encoding.charEnd()[last]));
        StringBuilder rebuilt = new StringBuilder();
        for (int i = 0; i < encoding.size(); i++) {
            rebuilt.append(text, encoding.charStart()[i], encoding.charEnd()[i]);
        }
        assertEquals(text, rebuilt.toString());
    }

    @Test
    void longTextIsNotTruncated() throws IOException {
        String text = String.join(" ", java.util.Collections.nCopies(400, "one two three four five"));
        assertEquals(2000, tokenizer.encode(text).size());
    }

    @Test
    void vocabularyAndSpecialIds() throws IOException {
        assertEquals(151665, tokenizer.vocabSize());
        assertEquals(OptionalLong.of(151645), tokenizer.tokenId("<|im_end|>"));
        assertEquals(OptionalLong.empty(), tokenizer.tokenId("<extra_0>"));
        assertEquals(OptionalLong.of(151645), tokenizer.eosId());
        assertEquals(OptionalLong.of(151643), tokenizer.padId());
        assertEquals(OptionalLong.empty(), tokenizer.bosId());
        assertEquals(List.of(), tokenizer.registeredTokens());
    }

    @Test
    void extraZeroRegistersAfterLastAddedToken() throws IOException {
        try (TextTokenizer extended = tokenizer.withSpecialTokens(List.of("<extra_0>"))) {
            assertEquals(OptionalLong.of(151665), extended.tokenId("<extra_0>"));
            assertArrayEquals(new long[] {64, 28, 16, 151665, 65, 24239, 10, 16},
                    extended.encode("a=1<extra_0>b=a+1").ids());
            assertArrayEquals(new long[] {64, 28, 16, 27, 15460, 62, 15, 51407, 24239, 10, 16},
                    tokenizer.encode("a=1<extra_0>b=a+1").ids(), "unregistered, <extra_0> splits into pieces");
        }
    }

    @Test
    void decodeRoundTripsText() throws IOException {
        String text = "Шаг 1: $x^2$ = 4 ки\n\n<|im_end|>";
        assertEquals(text, tokenizer.decode(tokenizer.encode(text).ids()));
    }
}
