package io.minilb.adapters.in.http;

import static io.minilb.adapters.in.http.BodyFields.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.domain.selection.RoutingContext;
import java.util.Optional;

/**
 * Reads the start of the prompt for the routing policies, in the field SGLang would read it from: {@code text},
 * {@code prompt} (completions, text or token ids), the contents of chat {@code messages}, or {@code input_ids}. Of a batch, its first
 * item. Stops reading at {@link RoutingContext#MAX_PROMPT_LENGTH}, so a long prompt costs no more than a short one.
 */
final class PromptPrefix {

    private static final int LIMIT = RoutingContext.MAX_PROMPT_LENGTH;

    private PromptPrefix() {
    }

    static RoutingContext of(ObjectNode json, Optional<String> routingKey) {
        // Token ids come as input_ids (generate) or as a prompt of numbers (completions).
        JsonNode inputIds = firstItem(given(json.path("input_ids")) ? json.path("input_ids") : json.path("prompt"));
        if (!given(json.path("text")) && inputIds.isArray() && inputIds.size() > 0 && inputIds.get(0).isNumber()) {
            return RoutingContext.ofTokens(routingKey, tokens(inputIds));
        }
        StringBuilder text = new StringBuilder();
        appendText(firstItem(json.path("text")), text);
        appendText(firstItem(json.path("prompt")), text);
        JsonNode messages = json.path("messages");
        if (messages.isArray()) {
            for (JsonNode message : messages) {
                if (text.length() >= LIMIT) {
                    break;
                }
                appendContent(message.path("content"), text);
            }
        }
        return RoutingContext.ofText(routingKey, text.length() > LIMIT ? text.substring(0, LIMIT) : text.toString());
    }

    /** A batch (a list whose first item is itself a prompt) routes by its first prompt. */
    private static JsonNode firstItem(JsonNode value) {
        return value.isArray() && value.size() > 0 && (value.get(0).isTextual() || value.get(0).isArray())
                ? value.get(0)
                : value;
    }

    /** Chat content is a string or a list of parts, of which the text parts count. */
    private static void appendContent(JsonNode content, StringBuilder text) {
        if (content.isArray()) {
            for (JsonNode part : content) {
                appendText(part.path("text"), text);
            }
        } else {
            appendText(content, text);
        }
        // Keeps "ab" + "c" from matching "a" + "bc": message boundaries are part of the prefix.
        if (text.length() < LIMIT) {
            text.append('\n');
        }
    }

    private static void appendText(JsonNode value, StringBuilder text) {
        if (value.isTextual() && text.length() < LIMIT) {
            String part = value.textValue();
            text.append(part, 0, Math.min(part.length(), LIMIT - text.length()));
        }
    }

    private static int[] tokens(JsonNode ids) {
        int length = Math.min(ids.size(), LIMIT);
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = ids.get(i).asInt();
        }
        return tokens;
    }
}
