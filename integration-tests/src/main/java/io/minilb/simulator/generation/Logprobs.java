package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.SimulatedModel;
import io.minilb.simulator.http.Json;
import java.util.List;

/**
 * SGLang's logprob fields of {@code meta_info}: entries {@code [logprob, token_id, null]}. Only the server that
 * computed the prompt (the prefill) knows the prompt's logprobs; a decode reports them empty, which is why a
 * balancer merges the prefill's into the decode's answer.
 */
final class Logprobs {
    private Logprobs() {
    }

    static void put(ObjectNode meta, GenerationRequest request, ItemOutput item) {
        List<Integer> prompt = item.hasInputLogprobs() ? item.item().promptIds() : List.of();
        meta.set("input_token_logprobs", entries(prompt));
        meta.set("output_token_logprobs", entries(item.outputIds()));
        int top = request.topLogprobsNum();
        if (top > 0) {
            meta.set("input_top_logprobs", topEntries(prompt, top));
            meta.set("output_top_logprobs", topEntries(item.outputIds(), top));
        }
    }

    private static ArrayNode entries(List<Integer> tokenIds) {
        ArrayNode entries = Json.array();
        for (int position = 0; position < tokenIds.size(); position++) {
            int id = tokenIds.get(position);
            entries.add(entry(SimulatedModel.logprob(id, position), id));
        }
        return entries;
    }

    private static ArrayNode topEntries(List<Integer> tokenIds, int top) {
        ArrayNode perPosition = Json.array();
        for (int position = 0; position < tokenIds.size(); position++) {
            ArrayNode alternatives = perPosition.addArray();
            for (int rank = 0; rank < top; rank++) {
                alternatives.add(entry(SimulatedModel.topLogprob(rank),
                        SimulatedModel.topTokenId(tokenIds.get(position), position, rank)));
            }
        }
        return perPosition;
    }

    private static ArrayNode entry(double logprob, int tokenId) {
        ArrayNode entry = Json.array().add(logprob).add(tokenId);
        entry.addNull();
        return entry;
    }
}
