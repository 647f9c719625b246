package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.http.Json;
import java.util.List;

/**
 * SGLang's native {@code /generate}: one object per item ({@code text}, {@code output_ids}, {@code meta_info}), a
 * list for a batch. A stream sends the item's whole state so far in every frame (cumulative {@code text} and
 * {@code output_ids}, SGLang's default), tagged with {@code index} in a batch.
 */
final class GenerateFormat implements ResponseFormat {
    static final GenerateFormat INSTANCE = new GenerateFormat();

    private GenerateFormat() {
    }

    @Override
    public JsonNode body(GenerationRequest request, List<ItemOutput> items, double elapsedSeconds) {
        if (!request.batch()) {
            return itemBody(request, items.get(0), elapsedSeconds);
        }
        ArrayNode bodies = Json.array();
        items.forEach(item -> bodies.add(itemBody(request, item, elapsedSeconds)));
        return bodies;
    }

    @Override
    public List<JsonNode> progressFrames(GenerationRequest request, ItemOutput item, int firstNewToken, double elapsedSeconds) {
        ObjectNode frame = itemBody(request, item, elapsedSeconds);
        if (request.batch()) {
            frame.put("index", item.item().index());
        }
        return List.of(frame);
    }

    @Override
    public List<JsonNode> closingFrames(GenerationRequest request, List<ItemOutput> items) {
        return List.of();
    }

    private static ObjectNode itemBody(GenerationRequest request, ItemOutput item, double elapsedSeconds) {
        ObjectNode body = Json.object().put("text", item.text());
        ArrayNode outputIds = body.putArray("output_ids");
        item.outputIds().forEach(outputIds::add);
        ObjectNode meta = body.putObject("meta_info").put("id", item.item().rid());
        if (item.isFinished()) {
            meta.putObject("finish_reason").put("type", "length").put("length", item.finishLength());
        } else {
            meta.putNull("finish_reason");
        }
        meta.put("prompt_tokens", item.item().promptIds().size())
                .put("completion_tokens", item.tokenCount())
                .put("cached_tokens", item.cachedTokens())
                .put("e2e_latency", elapsedSeconds);
        if (request.returnLogprob()) {
            Logprobs.put(meta, request, item);
        }
        return body;
    }
}
