package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTokenizerTest {

    private static HuggingFaceTokenizer load(Path dir) throws Exception {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(dir.resolve("tokenizer.json"))
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .optMaxLength(Integer.MAX_VALUE)
                .build();
    }

    @Test
    void bytesAndSeparatorEncodeToPinnedIds(@TempDir Path dir) throws Exception {
        DemoTokenizer.write(dir);
        try (HuggingFaceTokenizer tokenizer = load(dir)) {
            Encoding encoding = tokenizer.encode("Step 1: 9 + 3 = 12 <step>\n");
            long[] expected = {'S', 't', 'e', 'p', ' ', '1', ':', ' ', '9', ' ', '+', ' ', '3', ' ', '=', ' ', '1', '2',
                    ' ', 258, '\n'};
            assertArrayEquals(expected, encoding.getIds());
        }
    }

    @Test
    void specialTokensHaveFixedIds(@TempDir Path dir) throws Exception {
        DemoTokenizer.write(dir);
        try (HuggingFaceTokenizer tokenizer = load(dir)) {
            assertArrayEquals(new long[] {256, 257, 258}, tokenizer.encode("<pad><eos><step>").getIds());
        }
        assertEquals(256, DemoTokenizer.idOf(DemoTokenizer.PAD));
        assertEquals(257, DemoTokenizer.idOf(DemoTokenizer.EOS));
        assertEquals(258, DemoTokenizer.idOf(DemoTokenizer.STEP_SEPARATOR));
    }

    @Test
    void multiByteTextRoundTrips(@TempDir Path dir) throws Exception {
        DemoTokenizer.write(dir);
        try (HuggingFaceTokenizer tokenizer = load(dir)) {
            String text = "Température −18 °C ки";
            Encoding encoding = tokenizer.encode(text);
            assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, encoding.getIds().length);
            assertEquals(text, tokenizer.decode(encoding.getIds()));
        }
    }

    @Test
    void byteSymbolsMatchByteLevelAlphabet() {
        String[] symbols = DemoTokenizer.byteSymbols();
        assertEquals("A", symbols['A']);
        assertEquals("Ġ", symbols[' ']);
        assertEquals("Ċ", symbols['\n']);
        assertEquals("Ā", symbols[0]);
        assertEquals(256, java.util.Arrays.stream(symbols).distinct().count());
    }
}
