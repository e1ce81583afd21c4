package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.serve.ServerConfig;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing of {@code stepwise serve}; the server itself is tested in the serve module. */
class ServeCommandTest {

    @Test
    void optionsBecomeServerConfig() {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--model", "prm=/tmp/a", "--model", "/tmp/b", "--port", "0",
                "--max-batch-tokens", "8192", "--max-input-tokens", "2048", "--request-timeout-ms", "1500",
                "--prefix-cache-mib", "3", "--api-key", "k");
        ServerConfig config = command.config();

        assertEquals("127.0.0.1", config.host());
        assertEquals(0, config.port());
        assertEquals(8192, config.maxBatchTokens());
        assertEquals(2048, config.maxInputTokens());
        assertEquals(Duration.ofMillis(1500), config.requestTimeout());
        assertEquals(3L << 20, config.prefixCacheBytes());
        assertEquals("k", config.apiKey());
        assertEquals(2, command.models.size());
    }

    @Test
    void defaultsMatchServerConfig() {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--model", "/tmp/a");
        ServerConfig config = command.config();
        ServerConfig defaults = ServerConfig.builder().apiKey(config.apiKey()).build();

        assertEquals(defaults, config);
        if (System.getenv(ServeCommand.API_KEY_ENV) == null) {
            assertNull(config.apiKey());
        }
    }

    @Test
    void batchBudgetBelowInputLimitFails() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute("serve", "--model", "/tmp/none", "--max-input-tokens", "512",
                "--max-batch-tokens", "256");

        assertEquals(1, exit);
        assertTrue(err.toString().contains("--max-batch-tokens (256) must be at least --max-input-tokens (512)"),
                err.toString());
    }

    @Test
    void invalidOptionsNameTheOption() {
        String[][] cases = {
            {"--max-body-bytes", "0", "stepwise serve: --max-body-bytes must be at least 1, found: 0"},
            {"--prefix-cache-mib", "-1", "stepwise serve: --prefix-cache-mib must be at least 0, found: -1"},
            {"--max-batch-wait-ms", "-5", "stepwise serve: --max-batch-wait-ms must be at least 0, found: -5"},
            {"--request-timeout-ms", "0", "stepwise serve: --request-timeout-ms must be at least 1, found: 0"},
            {"--worker-threads", "0", "stepwise serve: --worker-threads must be at least 1, found: 0"},
        };
        for (String[] testCase : cases) {
            StringWriter err = new StringWriter();
            CommandLine commandLine = StepwiseCommand.newCommandLine();
            commandLine.setErr(new PrintWriter(err));

            int exit = commandLine.execute("serve", "--model", "/tmp/none", testCase[0], testCase[1]);

            assertEquals(1, exit, testCase[0]);
            assertEquals(testCase[2] + System.lineSeparator(), err.toString());
        }
    }

    @Test
    void missingModelFolderFailsBeforeLoading(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-model");
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("serve", "--model", "prm=" + missing, "--port", "0");

        assertEquals(1, exit);
        assertEquals("stepwise serve: --model prm=" + missing + ": model folder not found" + System.lineSeparator(),
                err.toString());
    }

    @Test
    void emptyModelNameIsRejected() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("serve", "--model", "=/tmp/a", "--port", "0");

        assertEquals(1, exit);
        assertTrue(err.toString().contains("model name is empty in '=/tmp/a'"), err.toString());
    }

    @Test
    void portInUseNamesAddress(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("prm"));
        DemoTokenizer.write(model);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(16).intermediateSize(32)
                .numHiddenLayers(1).numAttentionHeads(2).numKeyValueHeads(2).vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain",
                "hard", 0.5, null, 64);
        try (ProcessRewardModel prm = ProcessRewardModel.create(DecoderModel.randomInit(config, 5, Device.cpu()),
                TextTokenizer.load(model), card, 6)) {
            prm.save(model);
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StringWriter err = new StringWriter();
            CommandLine commandLine = StepwiseCommand.newCommandLine();
            commandLine.setErr(new PrintWriter(err));

            int exit = commandLine.execute("serve", "--model", model.toString(), "--max-input-tokens", "64",
                    "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(1, exit);
            assertTrue(err.toString().startsWith("stepwise serve: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " ("), err.toString());
            assertTrue(err.toString().contains("choose another --port, or --port 0 for a free one"), err.toString());
        }
    }

    @Test
    void unknownDeviceIsRejected() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StepwiseCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("serve", "--model", System.getProperty("java.io.tmpdir"), "--device", "tpu");

        assertEquals(1, exit);
        assertEquals("stepwise serve: --device: invalid device 'tpu'; expected cpu, gpu or gpuN"
                + System.lineSeparator(), err.toString());
    }
}
