package dev.stepwise.serve.search;

import java.util.List;
import java.util.Objects;

/**
 * A text generator behind an OpenAI-compatible completions endpoint. Strategies build the prompt
 * (problem, then the steps so far) and pass the step separator as a stop string to get one step.
 *
 * <p>Implementations must be safe to call from one thread at a time; strategies never call them
 * concurrently.
 */
public interface StepGenerator {

    /**
     * Samples {@code request.n()} continuations of {@code request.prompt()}.
     *
     * @return exactly {@code request.n()} samples, in the order the generator returned them
     */
    List<Sample> sample(Request request);

    /**
     * One completion request.
     *
     * @param prompt text to continue
     * @param n samples to return, at least 1
     * @param temperature sampling temperature, 0 for greedy
     * @param maxTokens maximum tokens per sample
     * @param stop stop strings (empty for none); the generator drops the stop string from the text
     * @param seed sampling seed, so a scripted or seeded generator repeats itself
     */
    record Request(String prompt, int n, double temperature, int maxTokens, List<String> stop, long seed) {

        public Request {
            Objects.requireNonNull(prompt, "prompt");
            if (n < 1) {
                throw new IllegalArgumentException("n must be >= 1, found " + n);
            }
            if (!(temperature >= 0)) {
                throw new IllegalArgumentException("temperature must be >= 0, found " + temperature);
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be >= 1, found " + maxTokens);
            }
            stop = List.copyOf(stop);
        }
    }

    /**
     * One generated continuation. Token counts are those the generator reported; when the server
     * reports usage only per request, the adapter puts the prompt tokens on the first sample.
     *
     * @param text the generated text without the stop string
     * @param finishReason {@code stop} or {@code length}, as the generator reported it
     * @param promptTokens prompt tokens charged to this sample
     * @param completionTokens tokens generated for this sample
     */
    record Sample(String text, String finishReason, long promptTokens, long completionTokens) {

        public Sample {
            Objects.requireNonNull(text, "text");
        }
    }
}
