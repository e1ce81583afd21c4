package dev.stepwise.dataset.autolabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.arrow.StepDatasetReader;
import dev.stepwise.dataset.arrow.StepRow;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutolabelJobTest {

    private static final float IGNORE = StepLabels.IGNORE;

    @TempDir
    Path dir;

    private ScriptedGeneratorServer server;
    private GeneratorClient client;
    private Path input;

    @BeforeEach
    void start() throws IOException {
        server = ScriptedGeneratorServer.start("policy", AutolabelFixtures.POLICY);
        client = new GeneratorClient(clientConfig());
        input = AutolabelFixtures.writeInput(dir.resolve("input.arrow"), AutolabelFixtures.smallTraces());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private GeneratorConfig clientConfig() {
        return GeneratorConfig.defaults(server.baseUrl(), "policy")
                .withTimeout(Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20))
                .withMaxConcurrency(4);
    }

    private AutolabelConfig config(String name) {
        return AutolabelConfig.defaults(input, dir.resolve(name).resolve("labeled.arrow")).withWorkers(4);
    }

    private AutolabelSummary run(AutolabelConfig config) throws IOException {
        return new AutolabelJob(config, client, CompletionGrader.standard()).run(progress -> { });
    }

    private static Map<String, StepRow> rows(Path file) throws IOException {
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            Map<String, StepRow> rows = new java.util.LinkedHashMap<>();
            for (StepRow row : reader.readAll()) {
                rows.put(row.id(), row);
            }
            return rows;
        }
    }

    @Test
    void monteCarloSoftLabelsAreExact() throws IOException {
        AutolabelSummary summary = run(config("mc"));
        Map<String, StepRow> rows = rows(summary.output());

        assertEquals(List.of("right", "wrong", "late-error"), List.copyOf(rows.keySet()));
        StepRow right = rows.get("right");
        assertArrayEquals(new float[] {1f, 5f / 6f, 1f}, right.stepLabels());
        assertArrayEquals(new int[] {8, 5, 1}, right.rolloutsCorrect());
        assertArrayEquals(new int[] {8, 6, 1}, right.rolloutsTotal());
        StepRow wrong = rows.get("wrong");
        assertArrayEquals(new float[] {1f, 0f, 0f}, wrong.stepLabels());
        assertArrayEquals(new int[] {8, 0, 0}, wrong.rolloutsCorrect());
        assertArrayEquals(new int[] {8, 8, 1}, wrong.rolloutsTotal());
        StepRow late = rows.get("late-error");
        assertArrayEquals(new float[] {1f, 0.75f, 0.375f, 0f, 0f}, late.stepLabels());
        assertArrayEquals(new int[] {8, 6, 3, 0, 0}, late.rolloutsCorrect());
        assertArrayEquals(new int[] {8, 8, 8, 8, 1}, late.rolloutsTotal());

        assertEquals(4, summary.recordsTotal());
        assertEquals(3, summary.recordsWritten());
        assertEquals(Map.of("no_reference_answer", 1), summary.recordsSkipped());
        assertEquals(64, summary.rolloutsThisRun());
        assertEquals(0, summary.rolloutsResumed());
        assertEquals(Map.of("correct", 38L, "incorrect", 24L, "ungradable", 2L), summary.rolloutsByVerdict());
        assertEquals(Map.of("1", 4L, "0.8333333", 1L, "0", 4L, "0.75", 1L, "0.375", 1L), summary.labelsByValue());
        assertEquals(8, server.completionRequests());
        // The scripted server counts whitespace-separated pieces, so both counts are positive.
        assertTrue(summary.promptTokens() > 0, "prompt tokens " + summary.promptTokens());
        assertTrue(summary.completionTokens() > 0, "completion tokens " + summary.completionTokens());
    }

    @Test
    void monteCarloHardLabels() throws IOException {
        AutolabelSummary summary = run(config("hard").withLabels(LabelPolicy.LabelType.HARD));
        Map<String, StepRow> rows = rows(summary.output());

        assertArrayEquals(new float[] {1f, 1f, 1f}, rows.get("right").stepLabels());
        assertArrayEquals(new float[] {1f, 0f, 0f}, rows.get("wrong").stepLabels());
        assertArrayEquals(new float[] {1f, 1f, 1f, 0f, 0f}, rows.get("late-error").stepLabels());
        assertArrayEquals(new int[] {8, 5, 1}, rows.get("right").rolloutsCorrect());
    }

    @Test
    void firstErrorSearchProbesFewerSteps() throws IOException {
        AutolabelSummary summary = run(config("first-error").withStrategy(AutolabelConfig.Strategy.FIRST_ERROR));
        Map<String, StepRow> rows = rows(summary.output());

        StepRow right = rows.get("right");
        assertArrayEquals(new float[] {1f, 1f, 1f}, right.stepLabels());
        assertArrayEquals(new int[] {0, 0, 1}, right.rolloutsCorrect());
        assertArrayEquals(new int[] {0, 0, 1}, right.rolloutsTotal());
        StepRow wrong = rows.get("wrong");
        assertArrayEquals(new float[] {1f, 0f, 0f}, wrong.stepLabels());
        assertArrayEquals(new int[] {8, 0, 0}, wrong.rolloutsCorrect());
        assertArrayEquals(new int[] {8, 8, 1}, wrong.rolloutsTotal());
        StepRow late = rows.get("late-error");
        // Search over steps 0..4 with step 4 known bad: probes step 2 (3 correct), then step 3 (none).
        assertArrayEquals(new float[] {1f, 1f, 1f, 0f, 0f}, late.stepLabels());
        assertArrayEquals(new int[] {0, 0, 3, 0, 0}, late.rolloutsCorrect());
        assertArrayEquals(new int[] {0, 0, 8, 8, 1}, late.rolloutsTotal());
        assertEquals(32, summary.rolloutsThisRun());
        assertEquals(4, server.completionRequests());
    }

    @Test
    void nUnsupportedGivesSameFile() throws IOException {
        AutolabelSummary batched = run(config("batched"));
        server.setNSupported(false);
        try (GeneratorClient single = new GeneratorClient(clientConfig())) {
            // One worker, so exactly one request is rejected before the client switches to single requests.
            AutolabelSummary oneByOne = new AutolabelJob(config("one-by-one").withWorkers(1), single,
                    CompletionGrader.standard())
                    .run(progress -> { });
            assertTrue(single.nUnsupported());
            assertArrayEquals(Files.readAllBytes(batched.output()), Files.readAllBytes(oneByOne.output()));
        }
        assertEquals(8 + 1 + 64, server.completionRequests(), "8 batched, then 1 rejected and 64 single requests");
    }

    @Test
    void samplesPerRequestDoNotChangeLabels() throws IOException {
        AutolabelSummary whole = run(config("whole"));
        AutolabelSummary split = run(config("split").withSamplesPerRequest(3));

        assertArrayEquals(Files.readAllBytes(whole.output()), Files.readAllBytes(split.output()));
        assertEquals(8 + 8 * 3, server.completionRequests());
    }

    @Test
    void chatEndpointGivesSameFile() throws IOException {
        AutolabelSummary completions = run(config("completions"));
        GeneratorConfig chat = clientConfig().withEndpoint(GeneratorConfig.Endpoint.CHAT);
        try (GeneratorClient chatClient = new GeneratorClient(chat)) {
            AutolabelSummary chatSummary = new AutolabelJob(config("chat"), chatClient, CompletionGrader.standard())
                    .run(progress -> { });
            assertArrayEquals(Files.readAllBytes(completions.output()), Files.readAllBytes(chatSummary.output()));
        }
    }

    @Test
    void cutRowProbesEveryKeptStep() throws IOException {
        // The import cut the solution's last step, so the row has two of its steps and its final answer.
        AutolabelFixtures.Trace cut = new AutolabelFixtures.Trace("cut", "[key 42] What is 6 times 7?",
                List.of("Six sevens. reach=8", "That is 41. reach=2"), "42", "41", List.of("final_answer_dropped"));
        input = AutolabelFixtures.writeInput(dir.resolve("cut.arrow"), List.of(cut));

        StepRow monteCarlo = rows(run(config("cut-mc")).output()).get("cut");
        StepRow firstError = rows(run(config("cut-fe").withStrategy(AutolabelConfig.Strategy.FIRST_ERROR)).output())
                .get("cut");

        assertArrayEquals(new float[] {1f, 0.25f}, monteCarlo.stepLabels());
        assertArrayEquals(new int[] {8, 2}, monteCarlo.rolloutsCorrect());
        assertArrayEquals(new int[] {8, 8}, monteCarlo.rolloutsTotal());
        // The wrong final answer lies beyond the kept steps; step 1 still reaches the reference.
        assertArrayEquals(new float[] {1f, 1f}, firstError.stepLabels());
        assertArrayEquals(new int[] {0, 2}, firstError.rolloutsCorrect());
        assertArrayEquals(new int[] {0, 8}, firstError.rolloutsTotal());
    }

    @Test
    void retriedFaultsGiveSameFile() throws IOException {
        AutolabelSummary clean = run(config("clean"));
        server.injectFaults(2, Fault.rateLimited(Duration.ZERO));
        server.injectFaults(2, Fault.serverError());
        server.injectFaults(1, Fault.delay(Duration.ofSeconds(3)));
        AutolabelSummary faulty = run(config("faulty"));

        assertArrayEquals(Files.readAllBytes(clean.output()), Files.readAllBytes(faulty.output()));
        assertEquals(Map.of(), faulty.failuresByReason());
        assertEquals(8 + 8 + 5, server.completionRequests());
    }

    @Test
    void failedStepStaysUnlabeledUntilRerun() throws IOException {
        AutolabelConfig config = config("failing").withWorkers(1);
        try (GeneratorClient impatient = new GeneratorClient(clientConfig().withRetries(1, Duration.ofMillis(1),
                Duration.ofMillis(1)))) {
            // Requests go out in record order with one worker, so the first request (record "right",
            // step 0) gets both 500s and fails for good.
            server.injectFaults(2, Fault.serverError());
            AutolabelSummary failed = new AutolabelJob(config, impatient, CompletionGrader.standard()).run(p -> { });

            assertEquals(Map.of("SERVER_ERROR", 1L), failed.failuresByReason());
            assertEquals(1, failed.stepsFailed());
            StepRow right = rows(failed.output()).get("right");
            assertArrayEquals(new float[] {IGNORE, 5f / 6f, 1f}, right.stepLabels());
            assertArrayEquals(new int[] {0, 6, 1}, right.rolloutsTotal());
            assertTrue(right.flags().contains("autolabel_generation_failed"), right.flags().toString());
        }
        AutolabelSummary rerun = run(config);
        AutolabelSummary clean = run(config("clean"));

        assertEquals(8, rerun.rolloutsThisRun(), "only the failed request is sampled again");
        assertEquals(56, rerun.rolloutsResumed());
        assertArrayEquals(Files.readAllBytes(clean.output()), Files.readAllBytes(rerun.output()));
    }

    @Test
    void resumeFromCutLogIsByteIdentical() throws IOException {
        AutolabelConfig cleanConfig = config("clean").withSamplesPerRequest(2);
        AutolabelSummary clean = run(cleanConfig);
        byte[] expected = Files.readAllBytes(clean.output());
        byte[] log = Files.readAllBytes(cleanConfig.log());
        java.util.Random random = new java.util.Random(20240611L);

        for (int trial = 0; trial < 6; trial++) {
            int cut = trial == 0 ? log.length : random.nextInt(log.length);
            AutolabelConfig resumed = config("resume-" + trial).withSamplesPerRequest(2);
            Files.createDirectories(resumed.log().getParent());
            Files.write(resumed.log(), java.util.Arrays.copyOf(log, cut));
            int requestsBefore = server.completionRequests();

            AutolabelSummary summary = run(resumed);

            assertArrayEquals(expected, Files.readAllBytes(summary.output()), "log cut at byte " + cut);
            assertEquals(64, summary.rolloutsThisRun() + summary.rolloutsResumed(), "log cut at byte " + cut);
            assertEquals(summary.rolloutsThisRun() / 2, server.completionRequests() - requestsBefore,
                    "log cut at byte " + cut);
            assertEquals(33 + 3, countLines(resumed.log()), "header, 32 requests and 3 final grades once each");
        }
    }

    @Test
    void tornTrailingLineIsDropped() throws IOException {
        AutolabelConfig config = config("torn");
        AutolabelSummary clean = run(config);
        byte[] expected = Files.readAllBytes(clean.output());
        String partial = "{\"type\":\"probe\",\"record\":\"wrong\",\"step\":1,\"fir";
        Files.writeString(config.log(), partial, java.nio.file.StandardOpenOption.APPEND);

        AutolabelSummary resumed = run(config);

        assertArrayEquals(expected, Files.readAllBytes(resumed.output()));
        assertEquals(0, resumed.rolloutsThisRun());
        assertTrue(Files.readString(config.log()).endsWith("}\n"), "the torn line is cut off");
    }

    @Test
    void corruptMiddleLineIsAnError() throws IOException {
        AutolabelConfig config = config("corrupt");
        run(config);
        List<String> lines = new ArrayList<>(Files.readAllLines(config.log()));
        lines.set(2, "not json");
        Files.write(config.log(), lines);

        IOException error = assertThrows(IOException.class, () -> run(config));
        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
    }

    @Test
    void otherSettingsAreRejected() throws IOException {
        AutolabelConfig config = config("settings");
        run(config);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> run(config.withRollouts(4)));
        assertTrue(error.getMessage().contains("rollouts: log has 8, this job has 4"), error.getMessage());
    }

    @Test
    void progressReportsReachTotal() throws IOException {
        List<AutolabelProgress> reports = java.util.Collections.synchronizedList(new ArrayList<>());
        new AutolabelJob(config("progress"), client, CompletionGrader.standard()).run(reports::add);

        AutolabelProgress last = reports.get(reports.size() - 1);
        assertTrue(last.finished());
        assertEquals(4, last.recordsDone());
        assertEquals(4, last.recordsTotal());
        assertEquals(64, last.rolloutsDone());
        assertEquals(64, last.rolloutsPlanned());
        assertTrue(last.toBarLine(10).startsWith("[##########] 4/4 records | 64/64 rollouts"), last.toBarLine(10));
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
