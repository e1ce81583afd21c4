package dev.stepwise.dataset.autolabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a job running in a child JVM with SIGKILL at random moments and resumes it. */
class AutolabelKillTest {

    private static final int TRACES = 40;
    /** 3 probed steps per trace, 8 rollouts in requests of 2. */
    private static final int REQUESTS = TRACES * 3 * 4;

    @TempDir
    Path dir;

    @Test
    void sigkillAndResumeIsByteIdentical() throws Exception {
        Path input = AutolabelFixtures.writeInput(dir.resolve("input.arrow"), AutolabelFixtures.manyTraces(TRACES));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (ScriptedGeneratorServer server = ScriptedGeneratorServer.start("policy", AutolabelFixtures.POLICY)) {
            Path reference = dir.resolve("reference").resolve("labeled.arrow");
            try (GeneratorClient client = new GeneratorClient(AutolabelChildMain.clientConfig(server.baseUrl()))) {
                new AutolabelJob(AutolabelChildMain.config(input, reference), client, CompletionGrader.standard())
                        .run(progress -> { });
            }

            server.setResponseDelay(Duration.ofMillis(15));
            Path output = dir.resolve("killed").resolve("labeled.arrow");
            Path log = AutolabelChildMain.config(input, output).log();
            List<Long> logSizes = new ArrayList<>();
            for (int kill = 0; kill < 3; kill++) {
                Process child = startChild(input, output, server.baseUrl(), kill);
                // Kill at a random moment after this child has appended to the log.
                long sizeBefore = Files.exists(log) ? Files.size(log) : 0;
                while (child.isAlive() && (Files.exists(log) ? Files.size(log) : 0) <= sizeBefore + 200) {
                    Thread.sleep(10);
                }
                boolean exited = child.waitFor(random.nextInt(600), TimeUnit.MILLISECONDS);
                child.destroyForcibly().waitFor();
                logSizes.add(Files.exists(log) ? Files.size(log) : 0);
                if (exited) {
                    break;
                }
            }
            Process last = startChild(input, output, server.baseUrl(), 9);
            assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the resumed child did not finish within 120 s");
            String context = "random seed " + seed + ", log sizes after kills " + logSizes;
            assertEquals(0, last.exitValue(), context + "; child log:\n" + Files.readString(dir.resolve("child-9.log")));

            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(output), context);
            assertEquals(REQUESTS, uniqueProbeLines(log), context);
            assertTrue(logSizes.get(0) < Files.size(log), "the first kill came after the job finished; " + context);
        }
    }

    /** Returns the number of probe lines, failing when two lines cover the same request. */
    private static int uniqueProbeLines(Path log) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Set<String> keys = new HashSet<>();
        int probes = 0;
        for (String line : Files.readAllLines(log)) {
            JsonNode node = mapper.readTree(line);
            if ("probe".equals(node.path("type").asText())) {
                probes++;
                String key = node.path("record").asText() + "/" + node.path("step").asInt() + "/" + node.path("first").asInt();
                assertTrue(keys.add(key), "request " + key + " is in the log twice");
            }
        }
        return probes;
    }

    private Process startChild(Path input, Path output, String baseUrl, int index) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                AutolabelChildMain.class.getName(), input.toString(), output.toString(), baseUrl);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + index + ".log").toFile())
                .start();
    }
}
