package dev.stepwise.dataset.autolabel;

import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs one auto-labeling job in its own JVM, so a test can kill it with SIGKILL.
 * Arguments: input file, output file, generator base URL. Exit code 0 when the job finished.
 */
public final class AutolabelChildMain {

    private AutolabelChildMain() {
    }

    /** Returns the job settings that the child and the in-process reference run share. */
    static AutolabelConfig config(Path input, Path output) {
        return AutolabelConfig.defaults(input, output).withSamplesPerRequest(2).withWorkers(2)
                .withProgressInterval(Duration.ofMillis(200));
    }

    static GeneratorConfig clientConfig(String baseUrl) {
        return GeneratorConfig.defaults(baseUrl, "policy").withMaxConcurrency(2).withTimeout(Duration.ofSeconds(10));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("expected 3 arguments (input, output, base URL), found " + args.length);
        }
        try (GeneratorClient client = new GeneratorClient(clientConfig(args[2]))) {
            new AutolabelJob(config(Path.of(args[0]), Path.of(args[1])), client, CompletionGrader.standard())
                    .run(progress -> System.err.println(progress.toBarLine(20)));
        }
    }
}
