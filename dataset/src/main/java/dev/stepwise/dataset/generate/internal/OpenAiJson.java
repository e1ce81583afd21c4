package dev.stepwise.dataset.generate.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.dataset.generate.ChatMessage;
import dev.stepwise.dataset.generate.Completion;
import dev.stepwise.dataset.generate.CompletionRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Request bodies and response parsing for the OpenAI completions and chat completions endpoints. */
public final class OpenAiJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The parameter name {@code n} standing alone, as in {@code "param": "n"} or {@code ["body", "n"]}. */
    private static final Pattern LONE_N = Pattern.compile("(?<![A-Za-z0-9_])n(?![A-Za-z0-9_])");
    /** llama.cpp's llama-server message for {@code n > 1}, which names no parameter. */
    private static final Pattern ONE_CHOICE = Pattern.compile("(?i)only one completion choice");

    private OpenAiJson() {
    }

    /** Builds the JSON body; a prompt request sent to the chat endpoint becomes one user message. */
    public static String requestBody(String model, CompletionRequest request, boolean chatEndpoint) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        if (chatEndpoint) {
            ArrayNode messages = body.putArray("messages");
            List<ChatMessage> source = request.isChat() ? request.messages() : List.of(ChatMessage.user(request.prompt()));
            for (ChatMessage message : source) {
                messages.addObject().put("role", message.role()).put("content", message.content());
            }
        } else {
            body.put("prompt", request.prompt());
        }
        body.put("n", request.n());
        body.put("temperature", request.temperature());
        body.put("top_p", request.topP());
        body.put("max_tokens", request.maxTokens());
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        body.put("stream", false);
        return body.toString();
    }

    /**
     * A parsed 2xx response.
     *
     * @param completions choices ordered by their {@code index}
     * @param promptTokens {@code usage.prompt_tokens}, 0 when absent
     * @param completionTokens {@code usage.completion_tokens}, 0 when absent
     */
    public record Parsed(List<Completion> completions, long promptTokens, long completionTokens) {
    }

    /**
     * Parses a 2xx response body.
     *
     * @throws IllegalArgumentException naming what is missing when the body is not a completion response
     */
    public static Parsed parseCompletions(String body, boolean chatEndpoint) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("response is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new IllegalArgumentException("response has no non-empty 'choices' array");
        }
        List<JsonNode> ordered = new ArrayList<>();
        choices.forEach(ordered::add);
        ordered.sort(Comparator.comparingInt(choice -> choice.path("index").asInt(0)));

        JsonNode usage = root.path("usage");
        int promptTokens = usage.path("prompt_tokens").asInt(0);
        int completionTokens = usage.path("completion_tokens").asInt(0);
        int count = ordered.size();
        List<Completion> completions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonNode choice = ordered.get(i);
            String text = chatEndpoint ? choice.path("message").path("content").asText(null) : choice.path("text").asText(null);
            if (text == null) {
                throw new IllegalArgumentException("choice " + i + " has no "
                        + (chatEndpoint ? "'message.content'" : "'text'") + " string");
            }
            String finishReason = choice.path("finish_reason").asText("");
            int share = completionTokens / count + (i < completionTokens % count ? 1 : 0);
            completions.add(new Completion(text, finishReason, promptTokens, share));
        }
        return new Parsed(completions, promptTokens, completionTokens);
    }

    /** Returns whether an error body names the parameter {@code n} or states that only one choice is allowed. */
    public static boolean rejectsN(String errorBody) {
        if (errorBody == null) {
            return false;
        }
        try {
            JsonNode root = MAPPER.readTree(errorBody);
            if (root != null && "n".equals(root.path("error").path("param").asText(null))) {
                return true;
            }
        } catch (JsonProcessingException e) {
            // Not JSON: fall through to the text search.
        }
        return LONE_N.matcher(errorBody).find() || ONE_CHOICE.matcher(errorBody).find();
    }

    /** Returns the {@code error.message} of an OpenAI error body, or the body cut to 300 characters. */
    public static String errorMessage(String errorBody) {
        if (errorBody == null || errorBody.isEmpty()) {
            return "(empty body)";
        }
        try {
            JsonNode root = MAPPER.readTree(errorBody);
            String message = root == null ? null : root.path("error").path("message").asText(null);
            if (message != null) {
                return message;
            }
        } catch (JsonProcessingException e) {
            // Not JSON: return the raw text below.
        }
        return errorBody.length() > 300 ? errorBody.substring(0, 300) + "…" : errorBody;
    }
}
