package dev.stepwise.serve.search.internal;

import dev.stepwise.dataset.generate.Completion;
import dev.stepwise.dataset.generate.CompletionRequest;
import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.serve.search.StepGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link StepGenerator} over {@link GeneratorClient}. The client repeats a response's prompt count on
 * every choice, so only the first sample of a request carries the prompt tokens here.
 *
 * <p>NOTE: when the server rejects {@code n > 1}, the client sends n requests of one sample each.
 * The search still counts one generator call and one prompt, so it undercounts both in that case.
 */
public final class GeneratorClientAdapter implements StepGenerator {

    private final GeneratorClient client;

    public GeneratorClientAdapter(GeneratorClient client) {
        this.client = client;
    }

    @Override
    public List<Sample> sample(Request request) {
        CompletionRequest completion = CompletionRequest.ofPrompt(request.prompt())
                .withN(request.n())
                .withTemperature(request.temperature())
                .withMaxTokens(request.maxTokens())
                .withStop(request.stop())
                .withSeed(request.seed());
        List<Completion> completions = client.complete(completion);
        List<Sample> samples = new ArrayList<>(completions.size());
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            samples.add(new Sample(c.text(), c.finishReason(), i == 0 ? c.promptTokens() : 0, c.completionTokens()));
        }
        return samples;
    }
}
