package io.minilb.domain.selection;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a policy may read of the request being routed: its routing key (from a header) and the start of its prompt,
 * as text or as token ids. The prompt is cut to {@link #MAX_PROMPT_LENGTH} so that what a policy stores or hashes
 * per request is bounded whatever the client sends.
 *
 * @param routingKey the session or routing key the client gave, empty when none
 * @param promptText the first characters of the prompt, empty when the prompt is token ids or absent
 * @param promptTokens the first token ids of the prompt, empty when the prompt is text or absent
 */
public record RoutingContext(Optional<String> routingKey, String promptText, int[] promptTokens) {

    /**
     * Longest prompt prefix kept, in characters or tokens: covers a 2,000-token prompt as tokens and its first
     * ~2,000 tokens as text (~4 characters a token), which is where prompts share their prefixes.
     */
    public static final int MAX_PROMPT_LENGTH = 8192;

    /** No key, no prompt: what a request without routing information carries. */
    public static final RoutingContext NONE = new RoutingContext(Optional.empty(), "", new int[0]);

    public RoutingContext {
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(promptText, "promptText");
        Objects.requireNonNull(promptTokens, "promptTokens");
        routingKey = routingKey.filter(key -> !key.isEmpty());
        promptText = promptText.length() > MAX_PROMPT_LENGTH ? promptText.substring(0, MAX_PROMPT_LENGTH) : promptText;
        promptTokens = Arrays.copyOf(promptTokens, Math.min(promptTokens.length, MAX_PROMPT_LENGTH));
    }

    public static RoutingContext ofText(Optional<String> routingKey, String promptText) {
        return new RoutingContext(routingKey, promptText, new int[0]);
    }

    public static RoutingContext ofTokens(Optional<String> routingKey, int[] promptTokens) {
        return new RoutingContext(routingKey, "", promptTokens);
    }

    /** A copy: the record must stay immutable for policies reading it on several threads. */
    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    /** Whether the prompt is given as token ids rather than text. */
    public boolean hasTokens() {
        return promptTokens.length > 0;
    }

    /** The token ids without a copy, for this package's policies, which only read them. */
    int[] sharedTokens() {
        return promptTokens;
    }

    /** Elements (characters or token ids) of the prompt. */
    int promptLength() {
        return hasTokens() ? promptTokens.length : promptText.length();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RoutingContext that && routingKey.equals(that.routingKey)
                && promptText.equals(that.promptText) && Arrays.equals(promptTokens, that.promptTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(routingKey, promptText, Arrays.hashCode(promptTokens));
    }

    @Override
    public String toString() {
        return "RoutingContext[routingKey=" + routingKey + ", promptText=" + promptText.length() + " chars, promptTokens="
                + promptTokens.length + " tokens]";
    }
}
