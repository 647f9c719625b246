package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI-compatible endpoints: one choice per item, a usage block; streamed as chunk objects carrying
 * deltas, each choice closing with a chunk holding its finish reason, and a usage chunk when the client asked
 * for {@code stream_options.include_usage}.
 */
abstract class OpenAiFormat implements ResponseFormat {
    private static final String FINISH_REASON = "length";

    private final String objectName;
    private final String chunkObjectName;

    OpenAiFormat(String objectName, String chunkObjectName) {
        this.objectName = objectName;
        this.chunkObjectName = chunkObjectName;
    }

    /** Puts an item's whole output into a non-streamed choice. */
    abstract void putOutput(ObjectNode choice, String text);

    /** Puts streamed text into a chunk's choice; null text for the closing chunk's empty delta. */
    abstract void putDelta(ObjectNode choice, String text);

    /** The choice of the chunk that opens a choice's stream, or null when the format has none. */
    abstract ObjectNode openingChoice(int index);

    @Override
    public JsonNode body(GenerationRequest request, List<ItemOutput> items, double elapsedSeconds) {
        ObjectNode body = envelope(request, objectName);
        ArrayNode choices = body.putArray("choices");
        for (ItemOutput item : items) {
            ObjectNode choice = choice(item.item().index());
            putOutput(choice, item.text());
            choices.add(finish(choice, FINISH_REASON));
        }
        body.set("usage", usage(request, items));
        return body;
    }

    @Override
    public List<JsonNode> progressFrames(GenerationRequest request, ItemOutput item, int firstNewToken, double elapsedSeconds) {
        int index = item.item().index();
        List<JsonNode> frames = new ArrayList<>();
        ObjectNode opening = firstNewToken == 0 ? openingChoice(index) : null;
        if (opening != null) {
            frames.add(chunk(request, finish(opening, null)));
        }
        if (item.tokenCount() > firstNewToken) {
            ObjectNode choice = choice(index);
            putDelta(choice, item.textFrom(firstNewToken));
            frames.add(chunk(request, finish(choice, null)));
        }
        if (item.isFinished()) {
            ObjectNode choice = choice(index);
            putDelta(choice, null);
            frames.add(chunk(request, finish(choice, FINISH_REASON)));
        }
        return frames;
    }

    @Override
    public List<JsonNode> closingFrames(GenerationRequest request, List<ItemOutput> items) {
        if (!request.includeUsage()) {
            return List.of();
        }
        ObjectNode chunk = envelope(request, chunkObjectName);
        chunk.putArray("choices");
        chunk.set("usage", usage(request, items));
        return List.of(chunk);
    }

    private ObjectNode chunk(GenerationRequest request, ObjectNode choice) {
        ObjectNode chunk = envelope(request, chunkObjectName);
        chunk.putArray("choices").add(choice);
        return chunk;
    }

    private static ObjectNode envelope(GenerationRequest request, String object) {
        return Json.object()
                .put("id", request.id())
                .put("object", object)
                .put("created", request.created())
                .put("model", request.model());
    }

    static ObjectNode choice(int index) {
        return Json.object().put("index", index);
    }

    private static ObjectNode finish(ObjectNode choice, String reason) {
        choice.putNull("logprobs");
        return choice.put("finish_reason", reason);
    }

    /** Token counts; a prompt sampled {@code n} times counts once, as in SGLang. */
    private static ObjectNode usage(GenerationRequest request, List<ItemOutput> items) {
        int promptTokens = 0;
        int completionTokens = 0;
        for (ItemOutput item : items) {
            if (item.item().index() % request.samplesPerPrompt() == 0) {
                promptTokens += item.item().promptIds().size();
            }
            completionTokens += item.tokenCount();
        }
        ObjectNode usage = Json.object()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        usage.putNull("prompt_tokens_details");
        return usage;
    }
}
