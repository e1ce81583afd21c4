package dev.stepwise.dataset.generate;

import java.util.List;

/**
 * A sampling request: a text prompt or chat messages, and the sampling parameters.
 *
 * <p>Exactly one of {@code prompt} and {@code messages} is set: {@code prompt} is null for a chat
 * request and {@code messages} is empty for a prompt request. Build one with {@link #ofPrompt} or
 * {@link #ofChat} and adjust it with the {@code with} methods.
 *
 * <p>Seeds: when a server does not accept {@code n}, the client sends {@code n} requests with
 * {@code n = 1} and seeds {@code seed, seed + 1, …}. {@link ScriptedGeneratorServer} gives choice
 * {@code i} of a seeded {@code n}-request the seed {@code seed + i}, so both ways return the same
 * texts there.
 *
 * @param prompt text prompt for the completions endpoint, or null for a chat request
 * @param messages chat messages, or an empty list for a prompt request
 * @param n completions to sample, at least 1
 * @param temperature sampling temperature, at least 0 (0 is greedy)
 * @param topP nucleus sampling mass in (0, 1]
 * @param maxTokens largest completion length in tokens, at least 1
 * @param stop sequences that end a completion; the matched sequence is not part of the text
 * @param seed sampling seed, or null to let the server choose
 */
public record CompletionRequest(
        String prompt,
        List<ChatMessage> messages,
        int n,
        double temperature,
        double topP,
        int maxTokens,
        List<String> stop,
        Long seed) {

    /** Default completion length limit, in tokens. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    public CompletionRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        if ((prompt == null) == messages.isEmpty()) {
            throw new IllegalArgumentException("a completion request needs exactly one of prompt and messages, found "
                    + (prompt == null ? "neither" : "both"));
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, found: " + n);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, found: " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], found: " + topP);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, found: " + maxTokens);
        }
        for (String sequence : stop) {
            if (sequence.isEmpty()) {
                throw new IllegalArgumentException("stop sequences must be non-empty, found an empty one in " + stop);
            }
        }
    }

    /** Creates a prompt request with n = 1, temperature 1, topP 1, {@link #DEFAULT_MAX_TOKENS}, no stop and no seed. */
    public static CompletionRequest ofPrompt(String prompt) {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt must not be null");
        }
        return new CompletionRequest(prompt, List.of(), 1, 1.0, 1.0, DEFAULT_MAX_TOKENS, List.of(), null);
    }

    /** Creates a chat request with the same defaults as {@link #ofPrompt}. */
    public static CompletionRequest ofChat(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        return new CompletionRequest(null, messages, 1, 1.0, 1.0, DEFAULT_MAX_TOKENS, List.of(), null);
    }

    public boolean isChat() {
        return prompt == null;
    }

    public CompletionRequest withN(int value) {
        return new CompletionRequest(prompt, messages, value, temperature, topP, maxTokens, stop, seed);
    }

    public CompletionRequest withTemperature(double value) {
        return new CompletionRequest(prompt, messages, n, value, topP, maxTokens, stop, seed);
    }

    public CompletionRequest withTopP(double value) {
        return new CompletionRequest(prompt, messages, n, temperature, value, maxTokens, stop, seed);
    }

    public CompletionRequest withMaxTokens(int value) {
        return new CompletionRequest(prompt, messages, n, temperature, topP, value, stop, seed);
    }

    public CompletionRequest withStop(List<String> value) {
        return new CompletionRequest(prompt, messages, n, temperature, topP, maxTokens, value, seed);
    }

    public CompletionRequest withSeed(Long value) {
        return new CompletionRequest(prompt, messages, n, temperature, topP, maxTokens, stop, value);
    }
}
