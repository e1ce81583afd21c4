package dev.stepwise.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.stepwise.dataset.StepLabels.IGNORE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Record mapping of each source format, on small hand-made fixtures. */
class TraceReadersTest {

    @TempDir
    Path dir;

    private List<TraceRecord> read(String fileName, String content, TraceFormat format, ReaderOptions options,
                                   ImportStats stats) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, content);
        return TraceReaders.readAll(file, format, options, stats);
    }

    private static ReaderOptions defaults() {
        return ReaderOptions.defaults(LabelPolicy.sourceConvention());
    }

    // Math-Shepherd ---------------------------------------------------------------------------

    @Test
    void mathShepherdLabelsFollowTagsNotCharacterPositions() throws IOException {
        String row = """
                {"input": "Tom has 3 apples and buys 2. How many? Step 1: 3+2=5 ки\\nStep 2: The answer is 5 ки",
                 "label": "Tom has 3 apples and buys 2. How many? Step 1: 3+2=5 +\\nStep 2: The answer is 5 -"}
                """.replace("\n ", " ");
        List<TraceRecord> records = read("shepherd.jsonl", row, TraceFormat.MATH_SHEPHERD, defaults(), new ImportStats());

        TraceRecord record = records.get(0);
        assertEquals("Tom has 3 apples and buys 2. How many?", record.problem());
        assertEquals(List.of("Step 1: 3+2=5", "Step 2: The answer is 5"), record.steps());
        assertArrayEquals(new float[] {1, 0}, record.stepLabels());
        assertEquals("shepherd.jsonl:1", record.id());
        assertEquals(Set.of(), record.flags());
    }

    @Test
    void mathShepherdDropsStrayTagInQuestion() throws IOException {
        String row = """
                {"input": "Round 3.14159 to the nearest tenth. ки Step 1: It is 3.1 ки", \
                "label": "Round 3.14159 to the nearest tenth. + Step 1: It is 3.1 -"}
                """;
        TraceRecord record = read("stray.jsonl", row, TraceFormat.MATH_SHEPHERD, defaults(), new ImportStats()).get(0);

        assertEquals("Round 3.14159 to the nearest tenth.", record.problem());
        assertEquals(List.of("Step 1: It is 3.1"), record.steps());
        assertArrayEquals(new float[] {0}, record.stepLabels());
        assertEquals(Set.of(RecordFlags.STRAY_TAG_IN_PROMPT), record.flags());
    }

    @Test
    void mathShepherdMarksAreReadByRole() throws IOException {
        String row = """
                {"input": "Q? Step 1: a ки\\nStep 2: b ки", "label": "Q? Step 1: a good\\nStep 2: b bad"}
                """;
        ReaderOptions options = defaults().withMathShepherdLabels("ки", "good", "bad");
        TraceRecord record = read("roles.jsonl", row, TraceFormat.MATH_SHEPHERD, options, new ImportStats()).get(0);

        assertArrayEquals(new float[] {1, 0}, record.stepLabels());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> defaults().withMathShepherdLabels("ки", "+", "+"));
        assertTrue(error.getMessage().contains("must differ"), error.getMessage());
    }

    @Test
    void mathShepherdMismatchedLabelTextIsRejected() throws IOException {
        String rows = """
                {"input": "Q? Step 1: a ки", "label": "Q? Step 1: b +"}
                {"input": "Q? Step 1: a ки", "label": "Q? Step 1: a x"}
                {"input": "Q? a ки", "label": "Q? a +"}
                """;
        ImportStats stats = new ImportStats();
        List<TraceRecord> records = read("bad.jsonl", rows, TraceFormat.MATH_SHEPHERD, defaults(), stats);

        assertEquals(List.of(), records);
        assertEquals(3, stats.recordsRead());
        assertEquals(Map.of("label_text_mismatch", 1L, "invalid_step_label", 1L, "no_step_marker", 1L), stats.rejected());
    }

    @Test
    void mathShepherdProcessLayout() throws IOException {
        String rows = """
                [{"question": "Q?", "process": "Step: 1: a ки\\nStep: 2: b ки", "labels": [1, 0]},
                 {"question": "Q?", "process": "Step: 1: a ки", "labels": [1, 0]}]
                """;
        ImportStats stats = new ImportStats();
        List<TraceRecord> records = read("process.json", rows, TraceFormat.MATH_SHEPHERD, defaults(), stats);

        assertEquals(1, records.size());
        assertEquals(List.of("Step: 1: a", "Step: 2: b"), records.get(0).steps());
        assertArrayEquals(new float[] {1, 0}, records.get(0).stepLabels());
        assertEquals("process.json:0", records.get(0).id());
        assertEquals(Map.of("label_count_mismatch", 1L), stats.rejected());
    }

    // PRM800K ---------------------------------------------------------------------------------

    private static final String PRM800K_ROW = """
            {"is_quality_control_question": false, "is_initial_screening_question": false,
             "question": {"problem": "Three pencils and an eraser cost $1.24. What is a pencil?", "ground_truth_answer": "29"},
             "label": {"finish_reason": "solution", "steps": [
               {"completions": [{"text": "Let p be the pencil price.", "rating": 1}], "chosen_completion": 0, "human_completion": null},
               {"completions": [{"text": "We could also use substitution.", "rating": 0}], "chosen_completion": 0, "human_completion": null},
               {"completions": [{"text": "3p+e=124", "rating": -1}], "chosen_completion": null,
                "human_completion": {"text": "3p+e=1.24", "rating": null}}]}}
            """.replace("\n", " ") + "\n";

    @Test
    void prm800kNeutralRatingFollowsPolicy() throws IOException {
        LabelPolicy positive = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.POSITIVE);
        LabelPolicy negative = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.NEGATIVE);
        LabelPolicy ignore = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.IGNORE);

        TraceRecord asPositive = read("p.jsonl", PRM800K_ROW, TraceFormat.PRM800K, ReaderOptions.defaults(positive),
                new ImportStats()).get(0);
        TraceRecord asNegative = read("n.jsonl", PRM800K_ROW, TraceFormat.PRM800K, ReaderOptions.defaults(negative),
                new ImportStats()).get(0);
        TraceRecord asIgnored = read("i.jsonl", PRM800K_ROW, TraceFormat.PRM800K, ReaderOptions.defaults(ignore),
                new ImportStats()).get(0);

        assertEquals(List.of("Let p be the pencil price.", "We could also use substitution.", "3p+e=1.24"),
                asPositive.steps());
        assertArrayEquals(new float[] {1, 1, 1}, asPositive.stepLabels());
        assertArrayEquals(new float[] {1, 0, 1}, asNegative.stepLabels());
        assertArrayEquals(new float[] {1, IGNORE, 1}, asIgnored.stepLabels());
        assertEquals("29", asPositive.referenceAnswer());
    }

    @Test
    void prm800kRejectedCompletionBecomesExtraRow() throws IOException {
        LabelPolicy policy = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.POSITIVE);
        List<TraceRecord> records = read("alt.jsonl", PRM800K_ROW, TraceFormat.PRM800K, ReaderOptions.defaults(policy),
                new ImportStats());

        assertEquals(2, records.size());
        TraceRecord extra = records.get(1);
        assertEquals("alt.jsonl:1/step2-completion0", extra.id());
        assertEquals(List.of("Let p be the pencil price.", "We could also use substitution.", "3p+e=124"), extra.steps());
        assertArrayEquals(new float[] {1, 1, 0}, extra.stepLabels());
        List<TraceRecord> mainOnly = read("main.jsonl", PRM800K_ROW, TraceFormat.PRM800K,
                ReaderOptions.defaults(policy).withPrm800kAlternatives(false), new ImportStats());
        assertEquals(1, mainOnly.size());
    }

    @Test
    void prm800kAlternativesCountAsRecordsRead() throws IOException {
        LabelPolicy policy = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.POSITIVE);
        ImportStats stats = new ImportStats();
        List<TraceRecord> records = read("count.jsonl", PRM800K_ROW + PRM800K_ROW, TraceFormat.PRM800K,
                ReaderOptions.defaults(policy), stats);

        assertEquals(4, records.size());
        assertEquals(2, stats.valuesRead());
        assertEquals(4, stats.recordsRead());
        assertEquals(0, stats.rejectedTotal());
    }

    @Test
    void prm800kWithoutNeutralPolicyStops() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TraceReaders.create(TraceFormat.PRM800K, defaults()));
        assertTrue(error.getMessage().contains("neutral"), error.getMessage());
    }

    @Test
    void prm800kExcludedRowsAreCounted() throws IOException {
        String qualityControl = PRM800K_ROW.replace("\"is_quality_control_question\": false", "\"is_quality_control_question\": true");
        String giveUp = PRM800K_ROW.replace("\"finish_reason\": \"solution\"", "\"finish_reason\": \"give_up\"");
        String badProblem = PRM800K_ROW.replace("\"finish_reason\": \"solution\"", "\"finish_reason\": \"bad_problem\"");
        LabelPolicy policy = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.POSITIVE);
        ImportStats stats = new ImportStats();

        List<TraceRecord> records = read("excluded.jsonl", qualityControl + giveUp + badProblem + "{not json\n",
                TraceFormat.PRM800K, ReaderOptions.defaults(policy), stats);

        assertEquals(List.of(), records);
        assertEquals(4, stats.recordsRead());
        assertEquals(Map.of("quality_control", 1L, "finish_reason_give_up", 1L, "finish_reason_bad_problem", 1L,
                "invalid_json", 1L), stats.rejected());
    }

    @Test
    void prm800kFoundErrorEndsAtFirstMinusOne() throws IOException {
        String row = """
                {"question": {"problem": "P"}, "label": {"finish_reason": "found_error", "steps": [
                  {"completions": [{"text": "s1", "rating": 1}], "chosen_completion": 0, "human_completion": null},
                  {"completions": [{"text": "s2a", "rating": 1}, {"text": "s2b", "rating": -1}],
                   "chosen_completion": null, "human_completion": null}]}}
                """.replace("\n", " ") + "\n";
        LabelPolicy policy = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.NEGATIVE);
        List<TraceRecord> records = read("error.jsonl", row, TraceFormat.PRM800K,
                ReaderOptions.defaults(policy).withPrm800kAlternatives(false), new ImportStats());

        assertEquals(List.of("s1", "s2b"), records.get(0).steps());
        assertArrayEquals(new float[] {1, 0}, records.get(0).stepLabels());
        assertNull(records.get(0).finalAnswer());
    }

    @Test
    void prm800kFinalAnswerComesFromAnswerBlock() throws IOException {
        String row = """
                {"question": {"problem": "P", "ground_truth_answer": "29"}, "label": {"finish_reason": "solution", "steps": [
                  {"completions": [{"text": "So a pencil costs 29 cents.\\n\\n# Answer\\n\\n29", "rating": 1}],
                   "chosen_completion": 0, "human_completion": null}]}}
                """.replace("\n", " ") + "\n";
        LabelPolicy policy = LabelPolicy.sourceConvention().withNeutralRating(LabelPolicy.NeutralRating.NEGATIVE);
        TraceRecord record = read("answer.jsonl", row, TraceFormat.PRM800K, ReaderOptions.defaults(policy),
                new ImportStats()).get(0);

        assertEquals(List.of("So a pencil costs 29 cents.\n\n# Answer\n\n29"), record.steps());
        assertEquals("29", record.finalAnswer());
    }

    // ProcessBench ----------------------------------------------------------------------------

    private static final String PROCESSBENCH = """
            [{"id": "pb-0", "problem": "P0", "steps": ["s0", "s1", "s2", "s3"], "label": 2, "final_answer_correct": false},
             {"id": "pb-1", "problem": "P1", "steps": ["s0", "s1", "s2"], "label": -1, "final_answer_correct": true},
             {"id": "pb-2", "problem": "P2", "steps": ["s0", "s1", "s2"], "label": -1, "final_answer_correct": false},
             {"id": "pb-3", "problem": "P3", "steps": ["s0"], "label": 4, "final_answer_correct": false}]
            """;

    @Test
    void processBenchFirstErrorLabels() throws IOException {
        ImportStats stats = new ImportStats();
        List<TraceRecord> records = read("pb.json", PROCESSBENCH, TraceFormat.PROCESSBENCH, defaults(), stats);

        assertEquals(3, records.size());
        assertArrayEquals(new float[] {1, 1, 0, IGNORE}, records.get(0).stepLabels());
        assertEquals(2, StepLabels.firstErrorIndex(records.get(0).stepLabels()));
        assertEquals(0f, records.get(0).outcomeLabel());
        assertArrayEquals(new float[] {1, 1, 1}, records.get(1).stepLabels());
        assertEquals(-1, StepLabels.firstErrorIndex(records.get(1).stepLabels()));
        assertEquals(Set.of(), records.get(1).flags());
        assertEquals(Set.of(RecordFlags.INCORRECT_WITHOUT_ERROR_STEP), records.get(2).flags());
        assertEquals(Map.of("label_out_of_range", 1L), stats.rejected());
    }

    @Test
    void processBenchRejectionsDescribeFoundValue() throws IOException {
        TraceReader reader = TraceReaders.create(TraceFormat.PROCESSBENCH, defaults());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, String> cases = Map.of(
                "{\"id\": \"a\", \"problem\": \"P\", \"steps\": [\"s0\"]}",
                "Record a rejected (missing_field): expected an integer label (first wrong step or -1); found none",
                "{\"id\": \"b\", \"problem\": \"P\", \"steps\": [\"s0\"], \"label\": \"two\"}",
                "Record b rejected (missing_field): expected an integer label (first wrong step or -1); "
                        + "found string \"two\"",
                "{\"id\": \"c\", \"problem\": \"P\", \"steps\": \"s0\", \"label\": 0}",
                "Record c rejected (missing_field): expected a list field steps; found steps = string \"s0\"",
                "{\"id\": \"d\", \"problem\": \"P\", \"steps\": [\"s0\", 5], \"label\": 0}",
                "Record d rejected (invalid_step): expected steps[1] to be a string; found number 5",
                "{\"id\": \"e\", \"steps\": [\"s0\"], \"label\": 0}",
                "Record e rejected (missing_field): expected a string field problem; found none");

        for (Map.Entry<String, String> testCase : cases.entrySet()) {
            RejectedRecordException error = assertThrows(RejectedRecordException.class,
                    () -> reader.map(json.readTree(testCase.getKey()), "pb.json:0", new ImportStats()));
            assertEquals(testCase.getValue(), error.getMessage());
        }
    }

    @Test
    void rejectionAtAddsSourceLocation() {
        RejectedRecordException error = new RejectedRecordException("gsm8k-3", "missing_field", "expected x; found none");

        RejectedRecordException located = error.at("gsm8k.json:3");

        assertEquals("Record gsm8k-3 (gsm8k.json:3) rejected (missing_field): expected x; found none",
                located.getMessage());
        assertEquals("gsm8k-3", located.recordId());
        assertEquals("missing_field", located.reason());
    }

    @Test
    void stepsAfterFirstErrorFollowPolicy() throws IOException {
        LabelPolicy negative = LabelPolicy.sourceConvention().withAfterFirstError(LabelPolicy.AfterFirstError.NEGATIVE);
        LabelPolicy drop = LabelPolicy.sourceConvention().withAfterFirstError(LabelPolicy.AfterFirstError.DROP);

        TraceRecord asNegative = read("neg.json", PROCESSBENCH, TraceFormat.PROCESSBENCH,
                ReaderOptions.defaults(negative), new ImportStats()).get(0);
        TraceRecord dropped = read("drop.json", PROCESSBENCH, TraceFormat.PROCESSBENCH,
                ReaderOptions.defaults(drop), new ImportStats()).get(0);

        assertArrayEquals(new float[] {1, 1, 0, 0}, asNegative.stepLabels());
        assertArrayEquals(new float[] {1, 1, 0}, dropped.stepLabels());
        assertEquals(List.of("s0", "s1", "s2"), dropped.steps());
        assertEquals(Set.of(RecordFlags.STEPS_AFTER_ERROR_DROPPED), dropped.flags());
    }

    // Generic ---------------------------------------------------------------------------------

    @Test
    void genericLabelsAcceptBooleansIntsAndFloats() throws IOException {
        String rows = """
                {"id": "g1", "problem": "P", "steps": ["a", "b", "c"], "labels": [true, 0, 0.75]}
                {"id": "g2", "problem": "P", "steps": ["a", "b"], "labels": [1]}
                {"id": "g3", "problem": "P", "steps": ["a"], "labels": [2]}
                {"id": "g4", "problem": "P", "steps": ["a", " ", "b"], "labels": [1, 1, null], "outcome_label": 0}
                """;
        LabelPolicy soft = LabelPolicy.sourceConvention().withLabelType(LabelPolicy.LabelType.SOFT);
        ImportStats stats = new ImportStats();
        List<TraceRecord> records = read("generic.jsonl", rows, TraceFormat.GENERIC, ReaderOptions.defaults(soft), stats);

        assertEquals(2, records.size());
        assertArrayEquals(new float[] {1, 0, 0.75f}, records.get(0).stepLabels());
        assertEquals(List.of("a", "b"), records.get(1).steps());
        assertArrayEquals(new float[] {1, IGNORE}, records.get(1).stepLabels());
        assertEquals(Set.of(RecordFlags.EMPTY_STEPS_REMOVED, RecordFlags.INCORRECT_WITHOUT_ERROR_STEP),
                records.get(1).flags());
        assertEquals(1, stats.emptyStepsDropped());
        assertEquals(Map.of("label_count_mismatch", 1L, "label_out_of_range", 1L), stats.rejected());
    }

    @Test
    void hardLabelsRoundSoftValues() throws IOException {
        String rows = """
                {"id": "h1", "problem": "P", "steps": ["a", "b", "c"], "labels": [0.75, 0.25, 0.5]}
                """;
        TraceRecord record = read("hard.jsonl", rows, TraceFormat.GENERIC, defaults(), new ImportStats()).get(0);

        assertArrayEquals(new float[] {1, 0, 1}, record.stepLabels());
    }

    @Test
    void errorPolarityFlipsLabels() throws IOException {
        String rows = """
                {"id": "e1", "problem": "P", "steps": ["a", "b"], "labels": [0, 1]}
                """;
        LabelPolicy errorIsOne = LabelPolicy.sourceConvention().withPolarity(LabelPolicy.Polarity.ONE_IS_ERROR);
        TraceRecord record = read("flip.jsonl", rows, TraceFormat.GENERIC, ReaderOptions.defaults(errorIsOne),
                new ImportStats()).get(0);

        assertArrayEquals(new float[] {1, 0}, record.stepLabels());
    }

    @Test
    void rawTraceIsSplitWithIgnoredLabels() throws IOException {
        String rows = """
                {"id": "r1", "problem": "P", "response": "First.\\n\\n\\n   \\n\\nSecond:\\n$$\\na\\n\\nb\\n$$", "is_correct": true}
                """;
        ImportStats stats = new ImportStats();
        TraceRecord record = read("raw.jsonl", rows, TraceFormat.RAW, defaults(), stats).get(0);

        assertEquals(List.of("First.", "Second:\n$$\na\n\nb\n$$"), record.steps());
        assertArrayEquals(new float[] {IGNORE, IGNORE}, record.stepLabels());
        assertEquals(1f, record.outcomeLabel());
    }
}
