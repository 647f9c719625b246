package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.ChatMessage;
import io.minilb.simulator.SimulatedModel;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The three generation endpoints, each with its request shape, where its answers put the generated text, and
 * the text a simulator generates for a prompt.
 */
enum TextEndpoint {

    GENERATE("/generate", null, null) {
        @Override
        ObjectNode request(String model, String prompt, int maxTokens) {
            ObjectNode body = Json.object().put("text", prompt);
            body.putObject("sampling_params").put("max_new_tokens", maxTokens).put("temperature", 0);
            return body;
        }

        @Override
        String text(JsonNode answer) {
            return answer.path("text").asText(null);
        }

        /** SGLang streams the whole text so far in every frame. */
        @Override
        String streamedText(List<JsonNode> frames) {
            return frames.isEmpty() ? null : text(frames.get(frames.size() - 1));
        }

        @Override
        String simulatedText(String prompt, int maxTokens) {
            return SimulatedModel.expectedText(prompt, maxTokens);
        }
    },

    CHAT_COMPLETIONS("/v1/chat/completions", "chat.completion", "chat.completion.chunk") {
        @Override
        ObjectNode request(String model, String prompt, int maxTokens) {
            ObjectNode body = Json.object().put("model", model).put("max_tokens", maxTokens).put("temperature", 0);
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
            return body;
        }

        @Override
        String text(JsonNode answer) {
            return answer.path("choices").path(0).path("message").path("content").asText(null);
        }

        @Override
        String streamedText(List<JsonNode> frames) {
            return concatenated(frames, chunk -> chunk.path("choices").path(0).path("delta").path("content"));
        }

        @Override
        String simulatedText(String prompt, int maxTokens) {
            return SimulatedModel.expectedText(SimulatedModel.chatPrompt(List.of(ChatMessage.user(prompt))), maxTokens);
        }
    },

    COMPLETIONS("/v1/completions", "text_completion", "text_completion") {
        @Override
        ObjectNode request(String model, String prompt, int maxTokens) {
            return Json.object().put("model", model).put("prompt", prompt).put("max_tokens", maxTokens)
                    .put("temperature", 0);
        }

        @Override
        String text(JsonNode answer) {
            return answer.path("choices").path(0).path("text").asText(null);
        }

        @Override
        String streamedText(List<JsonNode> frames) {
            return concatenated(frames, chunk -> chunk.path("choices").path(0).path("text"));
        }

        @Override
        String simulatedText(String prompt, int maxTokens) {
            return SimulatedModel.expectedText(prompt, maxTokens);
        }
    };

    private final String path;
    private final String answerObject;
    private final String chunkObject;

    TextEndpoint(String path, String answerObject, String chunkObject) {
        this.path = path;
        this.answerObject = answerObject;
        this.chunkObject = chunkObject;
    }

    String path() {
        return path;
    }

    /** The {@code object} of a non-streamed OpenAI answer; null for {@code /generate}. */
    String answerObject() {
        return answerObject;
    }

    /** The {@code object} of a streamed OpenAI chunk; null for {@code /generate}. */
    String chunkObject() {
        return chunkObject;
    }

    abstract ObjectNode request(String model, String prompt, int maxTokens);

    ObjectNode streamingRequest(String model, String prompt, int maxTokens) {
        return request(model, prompt, maxTokens).put("stream", true);
    }

    /** The generated text of a non-streamed answer, or null when it has none. */
    abstract String text(JsonNode answer);

    /** The generated text a stream's JSON frames add up to. */
    abstract String streamedText(List<JsonNode> frames);

    /** What a simulator generates for this prompt. */
    abstract String simulatedText(String prompt, int maxTokens);

    private static String concatenated(List<JsonNode> frames, Function<JsonNode, JsonNode> piece) {
        return frames.stream().map(piece).filter(JsonNode::isTextual).map(JsonNode::asText)
                .collect(Collectors.joining());
    }
}
