package dev.stepwise.dataset.generate;

/**
 * One sampled continuation.
 *
 * <p>Servers report usage per response, not per choice. {@code promptTokens} is the prompt count of
 * the response this choice came in, so it repeats for every choice of an {@code n > 1} response.
 * {@code completionTokens} is the response's completion count split evenly over its choices (the
 * first choices take the remainder), so the sum over the choices of one response is exact.
 *
 * @param text generated text, without the prompt and without the stop sequence that ended it
 * @param finishReason {@code stop}, {@code length} or whatever the server reports; never null
 * @param promptTokens prompt tokens as counted by the server
 * @param completionTokens completion tokens attributed to this choice
 */
public record Completion(String text, String finishReason, int promptTokens, int completionTokens) {

    public Completion {
        if (text == null) {
            throw new IllegalArgumentException("completion text must not be null");
        }
        if (finishReason == null) {
            throw new IllegalArgumentException("completion finishReason must not be null");
        }
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, found promptTokens=" + promptTokens
                    + " completionTokens=" + completionTokens);
        }
    }
}
