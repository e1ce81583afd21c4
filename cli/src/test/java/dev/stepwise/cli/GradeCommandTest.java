package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GradeCommandTest {

    @TempDir
    Path folder;

    @Test
    void gradesFileAndReportsBadLine() throws IOException {
        Path input = folder.resolve("responses.jsonl");
        Path output = folder.resolve("graded.jsonl");
        Files.write(input, List.of(
                "{\"response\": \"so it is \\\\boxed{6}\", \"reference\": \"6\"}",
                "{\"response\": \"7\"",
                "{\"response\": \"A: 17\", \"reference\": \"#### 18\"}"));
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new StepwiseCommand()).setErr(new PrintWriter(err));

        int exitCode = command.execute("grade", "--input", input.toString(), "--output", output.toString());

        assertEquals(1, exitCode);
        assertEquals(List.of(
                "{\"response\":\"so it is \\\\boxed{6}\",\"reference\":\"6\",\"verdict\":\"CORRECT\",\"extracted\":\"6\","
                        + "\"reference_extracted\":\"6\",\"normalized\":\"6\",\"reference_normalized\":\"6\"}",
                "{\"response\":\"A: 17\",\"reference\":\"#### 18\",\"verdict\":\"INCORRECT\",\"extracted\":\"17\","
                        + "\"reference_extracted\":\"18\",\"normalized\":\"17\",\"reference_normalized\":\"18\"}"),
                Files.readAllLines(output));
        assertTrue(err.toString().contains("line 2: invalid JSON"), err.toString());
        assertTrue(err.toString().contains("CORRECT 1, INCORRECT 1, UNGRADABLE 0, UNGRADABLE_TIMEOUT 0; bad lines 1"),
                err.toString());
    }

    @Test
    void unitPolicyAcceptsLowerCase() throws IOException {
        Path input = folder.resolve("responses.jsonl");
        Path output = folder.resolve("graded.jsonl");
        Files.write(input, List.of("{\"response\": \"5\", \"reference\": \"5\"}"));
        StringWriter err = new StringWriter();
        CommandLine command = StepwiseCommand.newCommandLine().setErr(new PrintWriter(err));

        int exitCode = command.execute("grade", "--input", input.toString(), "--output", output.toString(),
                "--units", "strict");

        assertEquals(0, exitCode, err.toString());
        assertTrue(Files.readString(output).contains("\"verdict\":\"CORRECT\""), Files.readString(output));
    }

    @Test
    void rejectsZeroDeadline() throws IOException {
        Path input = folder.resolve("empty.jsonl");
        Files.writeString(input, "");
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new StepwiseCommand()).setErr(new PrintWriter(err));

        int exitCode = command.execute("grade", "--input", input.toString(), "--deadline-ms", "0");

        assertEquals(2, exitCode);
        assertTrue(err.toString().contains("--deadline-ms must be at least 1, got 0"), err.toString());
    }
}
