package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** How an endpoint renders generated output, whole or as a stream of frames. */
public interface ResponseFormat {

    static ResponseFormat of(Endpoint endpoint) {
        return switch (endpoint) {
            case GENERATE -> GenerateFormat.INSTANCE;
            case CHAT_COMPLETIONS -> ChatFormat.INSTANCE;
            case COMPLETIONS -> CompletionFormat.INSTANCE;
        };
    }

    /** The non-streamed body once every item finished. */
    JsonNode body(GenerationRequest request, List<ItemOutput> items, double elapsedSeconds);

    /** Frames for an item that gained tokens from {@code firstNewToken} on, or finished, or both. */
    List<JsonNode> progressFrames(GenerationRequest request, ItemOutput item, int firstNewToken, double elapsedSeconds);

    /** Frames after every item finished, before {@code [DONE]}. */
    List<JsonNode> closingFrames(GenerationRequest request, List<ItemOutput> items);
}
