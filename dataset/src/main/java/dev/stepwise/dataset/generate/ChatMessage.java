package dev.stepwise.dataset.generate;

/**
 * One message of a chat request.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or another role the server accepts
 * @param content message text
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("chat message role must be non-empty, found: " + role);
        }
        if (content == null) {
            throw new IllegalArgumentException("chat message content must not be null (role " + role + ")");
        }
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
