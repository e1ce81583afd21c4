package dev.stepwise.dataset;

import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.arrow.StepRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepSegmenterTest {

    @TempDir
    static Path dir;
    static TextTokenizer words;
    static TextTokenizer wordsWithExtra;

    @BeforeAll
    static void loadTokenizers() throws IOException {
        words = TestTokenizers.wordLevel(dir);
        wordsWithExtra = words.withSpecialTokens(List.of("<extra_0>"));
    }

    @AfterAll
    static void closeTokenizers() {
        wordsWithExtra.close();
        words.close();
    }

    private static StepSegmenter plain(int maxTokens) {
        return new StepSegmenter(wordsWithExtra, PromptFormat.plain(), "<extra_0>", maxTokens);
    }

    @Test
    void plainFormatGivesExactIdsAndPositions() {
        StepSegmenter.Segment segment = plain(100).segment("Q: a?", List.of("a=1", "b=a+1"));

        long e = TestTokenizers.EXTRA_0;
        assertArrayEquals(new long[] {1, 2, 3, 4, 3, 5, 6, e, 7, 5, 3, 8, 6, e}, segment.inputIds());
        assertArrayEquals(new int[] {7, 13}, segment.scorePositions());
        assertEquals(2, segment.keptSteps());
        assertFalse(segment.truncated());
        assertTrue(segment.finalAnswerKept());
    }

    @Test
    void fewerStepsGivePrefixIds() {
        StepSegmenter segmenter = plain(100);
        List<String> steps = List.of("a=1", "b=a+1", "x=2", "y=3");
        long[] previous = segmenter.segment("Q: a?", List.of()).inputIds();
        for (int k = 1; k <= steps.size(); k++) {
            long[] current = segmenter.segment("Q: a?", steps.subList(0, k)).inputIds();
            assertArrayEquals(previous, java.util.Arrays.copyOf(current, previous.length), "prefix for " + k + " steps");
            previous = current;
        }
    }

    @Test
    void unregisteredSeparatorIsRejectedAtConstruction() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new StepSegmenter(words, PromptFormat.plain(), "<extra_0>", 100));

        assertTrue(error.getMessage().contains("covered by 3 tokens"), error.getMessage());
        assertTrue(error.getMessage().contains("withSpecialTokens"), error.getMessage());
    }

    @Test
    void registeredSeparatorGivesOnePositionPerStep() {
        StepSegmenter.Segment segment = plain(100).segment("Q: a?", List.of("a=1", "b=a+1"));

        assertEquals(2, segment.scorePositions().length);
        for (int position : segment.scorePositions()) {
            assertEquals(TestTokenizers.EXTRA_0, segment.inputIds()[position]);
        }
    }

    @Test
    void mathShepherdTagFoundFromSpans() {
        StepSegmenter segmenter = new StepSegmenter(words, PromptFormat.mathShepherd(), 100);
        StepSegmenter.Segment segment = segmenter.segment("Q: a?", List.of("Step 1: a=1", "Step 2: b=a+1"));

        assertEquals(13, segmenter.separatorId());
        assertArrayEquals(new long[] {1, 2, 3, 4, 14, 6, 2, 3, 5, 6, 13, 14, 10, 2, 7, 5, 3, 8, 6, 13},
                segment.inputIds());
        assertArrayEquals(new int[] {10, 19}, segment.scorePositions());
    }

    @Test
    void truncationKeepsWholeStepsAndTheirLabels() {
        String longStep = "x " .repeat(200) + "so the answer is 7";
        TraceRecord record = new TraceRecord("t1", "test", "Q: a?", List.of("x=2", "y=3", longStep),
                new float[] {1, 1, 0}, "7", null, 0f, Set.of());
        StepSegmenter segmenter = plain(64);

        StepSegmenter.Segment segment = segmenter.segment(record.problem(), record.steps());
        StepRow row = new TokenizeStage(segmenter, false).toRow(record);

        assertEquals(2, segment.keptSteps());
        assertEquals(1, segment.droppedSteps());
        assertTrue(segment.truncated());
        assertFalse(segment.finalAnswerKept());
        assertArrayEquals(new float[] {1, 1}, row.stepLabels());
        assertEquals(List.of("x=2", "y=3"), row.steps());
        assertEquals(List.of(RecordFlags.FINAL_ANSWER_DROPPED, RecordFlags.TRUNCATED), row.flags());
        assertEquals(null, row.outcomeLabel(), "a row without its final answer is never an outcome example");
    }

    @Test
    void rowWithNoKeptStepIsRejected() {
        TraceRecord record = new TraceRecord("t2", "test", "Q: a?", List.of("x " .repeat(100)),
                new float[] {1}, null, null, null, Set.of());

        RejectedRecordException error = assertThrows(RejectedRecordException.class,
                () -> new TokenizeStage(plain(64), false).toRow(record));

        assertEquals("no_kept_step", error.reason());
        assertEquals("t2", error.recordId());
    }

    @Test
    void separatorInsideStepIsRejected() {
        TraceRecord record = new TraceRecord("t3", "test", "Q: a?", List.of("a=1 <extra_0> b=2"),
                new float[] {1}, null, null, null, Set.of());

        RejectedRecordException error = assertThrows(RejectedRecordException.class,
                () -> new TokenizeStage(plain(100), false).toRow(record));

        assertEquals(StepSegmenter.SEPARATOR_INSIDE_STEP, error.reason());
        assertTrue(error.getMessage().contains("t3"), error.getMessage());
    }

    @Test
    void allIgnoredLabelsAreRejectedUnlessAllowed() {
        TraceRecord record = new TraceRecord("t4", "test", "Q: a?", List.of("a=1"),
                new float[] {StepLabels.IGNORE}, null, null, null, Set.of());

        RejectedRecordException error = assertThrows(RejectedRecordException.class,
                () -> new TokenizeStage(plain(100), false).toRow(record));
        StepRow row = new TokenizeStage(plain(100), true).toRow(record);

        assertEquals("all_labels_ignored", error.reason());
        assertArrayEquals(new float[] {StepLabels.IGNORE}, row.stepLabels());
    }

    @Test
    void blankLinesInsideAStepStayInThatStep() {
        List<String> steps = List.of("This gives 2p=0.58, so p=0.29.", "So a pencil costs 29 cents.\n\n# Answer\n\n29");
        TraceRecord record = new TraceRecord("t5", "test", "Q: a?", steps, new float[] {1, 1}, "29", "29", 1f,
                Set.of());

        StepRow row = new TokenizeStage(plain(200), false).toRow(record);

        assertEquals(2, row.scorePositions().length);
        assertEquals(steps, row.steps());
        assertEquals(row.inputIds().length - 1, row.scorePositions()[1]);
        assertEquals(1f, row.outcomeLabel());
    }

    @Test
    void answerFormEndsAtScorePosition() {
        StepSegmenter segmenter = new StepSegmenter(wordsWithExtra, PromptFormat.plain(), "<extra_0>", 100);
        StepSegmenter.Segment segment = segmenter.segmentAnswer("Q: a?", "the answer is 7");

        assertArrayEquals(new long[] {1, 2, 3, 4, 16, 15, 17, 18}, segment.inputIds());
        assertArrayEquals(new int[] {7}, segment.scorePositions());
        assertEquals(1, segment.keptSteps());
    }

    @Test
    void answerTooLongHasNoScorePosition() {
        StepSegmenter.Segment segment = plain(6).segmentAnswer("Q: a?", "the answer is 7");

        assertArrayEquals(new int[0], segment.scorePositions());
        assertEquals(0, segment.keptSteps());
        assertTrue(segment.truncated());
    }

    @Test
    void constructorRejectsBadLimits() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> plain(0));
        assertTrue(error.getMessage().contains("found 0"), error.getMessage());
    }

    @Test
    void concurrentCallsMatchSequential() throws Exception {
        StepSegmenter segmenter = plain(100);
        List<List<String>> traces = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            traces.add(List.of("a=" + (i % 3), "b=a+1", "x " .repeat(i % 7) + "y=2"));
        }
        List<StepSegmenter.Segment> sequential = new java.util.ArrayList<>();
        for (List<String> steps : traces) {
            sequential.add(segmenter.segment("Q: a?", steps));
        }

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<StepSegmenter.Segment>> futures = new java.util.ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (List<String> steps : traces) {
                    futures.add(pool.submit(() -> segmenter.segment("Q: a?", steps)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(sequential.get(i % traces.size()), futures.get(i).get(), "trace " + (i % traces.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
