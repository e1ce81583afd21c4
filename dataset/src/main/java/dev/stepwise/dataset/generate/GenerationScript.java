package dev.stepwise.dataset.generate;

import java.util.List;

/**
 * Decides what {@link ScriptedGeneratorServer} returns for one sample.
 *
 * <p>The server calls the script on a Vert.x worker thread, possibly from several threads at once,
 * so implementations must be thread-safe. To keep the server deterministic, the result must depend
 * only on the {@link Call}. The server then cuts the text at the first stop sequence and at
 * {@code maxTokens} whitespace-separated pieces, so a script need not handle either.
 */
@FunctionalInterface
public interface GenerationScript {

    /** Returns the text and finish reason of one sample. */
    Result generate(Call call);

    /**
     * One sample to produce.
     *
     * @param prompt the completions prompt, or the content of the last chat message
     * @param messages all chat messages, or an empty list for a completions request
     * @param sampleIndex index of this choice within its request (0 for an {@code n = 1} request)
     * @param stop stop sequences of the request, possibly empty
     * @param seed effective seed of this choice: the request's seed (0 when absent) plus {@code sampleIndex}
     * @param temperature the request's temperature (1 when absent)
     * @param maxTokens the request's {@code max_tokens}, or {@link Integer#MAX_VALUE} when absent
     */
    record Call(String prompt, List<ChatMessage> messages, int sampleIndex, List<String> stop, long seed,
            double temperature, int maxTokens) {
    }

    /**
     * Output of the script for one sample.
     *
     * @param text continuation of the prompt, which the server may still cut at a stop sequence
     * @param finishReason {@code stop} or {@code length}; replaced by the server when it cuts the text
     */
    record Result(String text, String finishReason) {

        public Result {
            if (text == null || finishReason == null) {
                throw new IllegalArgumentException("script result needs non-null text and finishReason, found text="
                        + text + " finishReason=" + finishReason);
            }
        }

        /** Creates a result that ended on its own (end-of-sequence token), finish reason {@code stop}. */
        public static Result stop(String text) {
            return new Result(text, "stop");
        }
    }
}
