package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonlGraderTest {

    @Test
    void writesResultsAndReportsBadLines() throws IOException {
        String input = String.join("\n",
                "{\"id\": 1, \"response\": \"so it is \\\\boxed{\\\\frac{1}{2}}\", \"reference\": \"0.5\"}",
                "{\"response\": \"nope\"",
                "",
                "{\"response\": \"A: 17\", \"reference\": \"#### 18\"}",
                "{\"reference\": \"3\"}",
                "[1, 2]",
                "{\"response\": \"I cannot tell.\", \"reference\": \"4\"}",
                "{\"response\": \"2, 1\", \"reference\": \"1, 2\", \"question\": \"List all roots in any order.\"}",
                "{\"response\": \"\\\\$0.29\", \"reference\": \"29\", \"unit\": \"cents\"}",
                "{\"response\": \"29\", \"reference\": \"29\", \"unit\": \" \"}");
        StringWriter output = new StringWriter();
        List<String> bad = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        JsonlGrader.Listener listener = new JsonlGrader.Listener() {
            @Override
            public void badLine(long lineNumber, String message) {
                bad.add(lineNumber + ": " + message.substring(0, message.indexOf(' ')));
            }

            @Override
            public void progress(long linesDone) {
                progress.add(linesDone);
            }
        };

        JsonlGrader.Summary summary = new JsonlGrader(new Grader(), 2)
                .grade(new BufferedReader(new StringReader(input)), output, listener);

        assertEquals(List.of(
                "{\"id\":1,\"response\":\"so it is \\\\boxed{\\\\frac{1}{2}}\",\"reference\":\"0.5\",\"verdict\":\"CORRECT\","
                        + "\"extracted\":\"\\\\frac{1}{2}\",\"reference_extracted\":\"0.5\",\"normalized\":\"\\\\frac{1}{2}\","
                        + "\"reference_normalized\":\"0.5\"}",
                "{\"response\":\"A: 17\",\"reference\":\"#### 18\",\"verdict\":\"INCORRECT\",\"extracted\":\"17\","
                        + "\"reference_extracted\":\"18\",\"normalized\":\"17\",\"reference_normalized\":\"18\"}",
                "{\"response\":\"I cannot tell.\",\"reference\":\"4\",\"verdict\":\"UNGRADABLE\",\"extracted\":null,"
                        + "\"reference_extracted\":\"4\",\"normalized\":null,\"reference_normalized\":null}",
                "{\"response\":\"2, 1\",\"reference\":\"1, 2\",\"question\":\"List all roots in any order.\","
                        + "\"verdict\":\"CORRECT\",\"extracted\":\"2, 1\",\"reference_extracted\":\"1, 2\","
                        + "\"normalized\":\"2, 1\",\"reference_normalized\":\"1, 2\"}",
                "{\"response\":\"\\\\$0.29\",\"reference\":\"29\",\"unit\":\"cents\",\"verdict\":\"INCORRECT\","
                        + "\"extracted\":\"\\\\$0.29\",\"reference_extracted\":\"29\",\"normalized\":\"0.29 dollar\","
                        + "\"reference_normalized\":\"29\"}"),
                output.toString().lines().toList());
        assertEquals(List.of("2: invalid", "5: missing", "6: expected", "10: blank"), bad);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), progress);
        assertEquals(9, summary.lines());
        assertEquals(4, summary.badLines());
        assertEquals(Map.of(Verdict.CORRECT, 2L, Verdict.INCORRECT, 2L, Verdict.UNGRADABLE, 1L), summary.verdicts());
    }

    @Test
    void oneThreadMatchesFour() throws IOException {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            input.append("{\"response\": \"The answer is ").append(i % 7).append(".\", \"reference\": \"3\"}\n");
        }
        StringWriter single = new StringWriter();
        StringWriter parallel = new StringWriter();

        new JsonlGrader(new Grader(), 1).grade(new BufferedReader(new StringReader(input.toString())), single, new JsonlGrader.Listener() {});
        new JsonlGrader(new Grader(), 4).grade(new BufferedReader(new StringReader(input.toString())), parallel, new JsonlGrader.Listener() {});

        assertEquals(single.toString(), parallel.toString());
        assertEquals(100, single.toString().lines().count());
    }

    @Test
    void numericFieldsReadAsDecimalText() throws IOException {
        String input = String.join("\n",
                "{\"response\": \"The total is 1,234.\", \"reference\": 1234}",
                "{\"response\": \"\\\\boxed{9.8}\", \"reference\": 9.11}",
                "{\"response\": \"\\\\boxed{1000}\", \"reference\": 1e3}",
                "{\"response\": \"\\\\boxed{9.80}\", \"reference\": 9.80}",
                "{\"response\": true, \"reference\": \"1\"}",
                "{\"response\": \"5\", \"reference\": [5]}");
        StringWriter output = new StringWriter();
        List<String> bad = new ArrayList<>();
        JsonlGrader.Listener listener = new JsonlGrader.Listener() {
            @Override
            public void badLine(long lineNumber, String message) {
                bad.add(lineNumber + ": " + message);
            }
        };

        new JsonlGrader(new Grader(), 1).grade(new BufferedReader(new StringReader(input)), output, listener);

        List<String> lines = output.toString().lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).contains("\"reference\":1234,\"verdict\":\"CORRECT\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"verdict\":\"INCORRECT\""), lines.get(1));
        assertTrue(lines.get(1).contains("\"reference_extracted\":\"9.11\""), lines.get(1));
        assertTrue(lines.get(2).contains("\"verdict\":\"CORRECT\""), lines.get(2));
        assertTrue(lines.get(2).contains("\"reference_extracted\":\"1000\""), lines.get(2));
        assertTrue(lines.get(3).contains("\"reference\":9.80,"), lines.get(3));
        assertEquals(List.of(
                "5: field 'response' is boolean true; expected a string or a number",
                "6: field 'reference' is array [5]; expected a string or a number"), bad);
    }

    @Test
    void rejectsZeroThreads() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new JsonlGrader(new Grader(), 0));

        assertEquals("threads must be at least 1, got 0", error.getMessage());
    }
}
