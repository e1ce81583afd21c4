package dev.stepwise.dataset.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.dataset.generate.Completion;
import dev.stepwise.dataset.generate.CompletionRequest;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.generate.GeneratorConfig;
import dev.stepwise.dataset.generate.ScriptedGeneratorServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPolicyServerTest {

    @Test
    void serverReturnsOneStepPerStopRequest() {
        List<ArithmeticProblem> problems = DemoTraces.problems(DemoConfig.of(4, 1, 7));
        DemoPolicyScript script = new DemoPolicyScript(problems, new NoisyPolicy(0, 0, 0, 0), "\n\n");
        try (ScriptedGeneratorServer server = ScriptedGeneratorServer.start("demo-policy", script);
                GeneratorClient client = new GeneratorClient(GeneratorConfig.defaults(server.baseUrl(), "demo-policy"))) {
            String prompt = problems.get(1).text() + "\n\n";
            StringBuilder solution = new StringBuilder(prompt);
            for (String expected : List.of(
                    "Step 1: 0 + 3 = 3; 3 + 5 = 8; so 30 + 53 = 83",
                    "Step 2: 3 + 2 = 5; 8 + 6 = 14; so 83 + 62 = 145",
                    "Step 3: 5 - 0 = 5; 4 - 3 = 1; 1 - 0 = 1; so 145 - 30 = 115",
                                        "The answer is 115")) {
                CompletionRequest request = CompletionRequest.ofPrompt(solution.toString())
                        .withStop(List.of("\n\n")).withSeed(5L).withN(2);
                List<Completion> completions = client.complete(request);
                assertEquals(2, completions.size());
                assertEquals(expected, completions.get(0).text());
                assertEquals(expected, completions.get(1).text());
                solution.append(expected).append("\n\n");
            }
        }
    }
}
