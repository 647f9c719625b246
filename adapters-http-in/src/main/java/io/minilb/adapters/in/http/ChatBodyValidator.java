package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * /v1/chat/completions, as SGLang's {@code ChatCompletionRequest} reads it: {@code messages} is required, not
 * empty, and each message is an object with a string {@code role}. Which roles and contents are allowed differs
 * between SGLang releases, so that is left to the server.
 */
final class ChatBodyValidator implements BodyValidator {

    static final ChatBodyValidator INSTANCE = new ChatBodyValidator();

    private static final List<String> MAX_TOKEN_FIELDS = List.of("max_completion_tokens", "max_tokens");

    private ChatBodyValidator() {
    }

    @Override
    public void check(ObjectNode body) throws InvalidRequestException {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw BodyFields.invalid("messages", "must be a non-empty list of message objects");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).path("role").isTextual()) {
                throw BodyFields.invalid("messages[" + i + "]", "must be an object with a string \"role\"");
            }
        }
        OpenAiSamplingValidator.check(body, MAX_TOKEN_FIELDS);
    }
}
