package dev.stepwise.dataset;

import dev.stepwise.core.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segmentation with the real Qwen2.5 tokenizer, whose BPE merges a leading space into the next word. */
class QwenSegmenterTest {

    static TextTokenizer qwen;

    @BeforeAll
    static void load() throws IOException {
        qwen = TestTokenizers.qwen();
    }

    @AfterAll
    static void close() {
        if (qwen != null) {
            qwen.close();
        }
    }

    @Test
    void tagAloneHasAnotherIdThanInContext() throws IOException {
        assertArrayEquals(new long[] {16748}, qwen.encode("ки").ids(), "alone, the tag is one token");
        assertArrayEquals(new long[] {7665, 1802}, qwen.encode(" ки").ids(), "after a space, it is two other tokens");
        assertFalse(StepSegmenter.isOneTokenInContext(qwen, PromptFormat.mathShepherd(), "ки"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new StepSegmenter(qwen, PromptFormat.mathShepherd(), 512));
        assertTrue(error.getMessage().contains("covered by 2 tokens"), error.getMessage());
    }

    @Test
    void registeredTagGivesOnePositionPerLabel() throws IOException {
        try (TextTokenizer withTag = qwen.withSpecialTokens(List.of("ки"))) {
            StepSegmenter segmenter = new StepSegmenter(withTag, PromptFormat.mathShepherd(), 512);
            StepSegmenter.Segment segment = segmenter.segment("Q: 2+2*3?", List.of("Step 1: 2*3=6", "Step 2: 2+6=8"));

            assertEquals(withTag.tokenId("ки").getAsLong(), segmenter.separatorId());
            assertEquals(2, segment.scorePositions().length);
            for (int position : segment.scorePositions()) {
                assertEquals(segmenter.separatorId(), segment.inputIds()[position]);
            }
            assertEquals(segment.inputIds().length - 1, segment.scorePositions()[1]);
        }
    }

    @Test
    void qwenLayoutExtraZeroAfterSteps() throws IOException {
        try (TextTokenizer withExtra = qwen.withSpecialTokens(List.of("<extra_0>"))) {
            StepSegmenter segmenter = new StepSegmenter(withExtra, PromptFormat.qwenMathPrm(), 4096);
            StepSegmenter.Segment segment = segmenter.segment("What is 1+1?", List.of("1+1=2.", "The answer is 2."));
            String text = withExtra.decode(segment.inputIds());

            assertEquals(OptionalLong.of(151665), withExtra.tokenId("<extra_0>"));
            assertEquals("<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}."
                    + "<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n"
                    + "1+1=2.<extra_0>The answer is 2.<extra_0>", text);
            assertEquals(2, segment.scorePositions().length);
            assertEquals(151665, segment.inputIds()[segment.scorePositions()[0]]);
            assertEquals(151665, segment.inputIds()[segment.scorePositions()[1]]);
        }
    }
}
