package io.minilb.simulator.generation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.SimulatedModel;
import java.io.IOException;
import java.util.List;

/**
 * SGLang's logprob fields of {@code meta_info}: entries {@code [logprob, token_id, null]}. Only the server that
 * computed the prompt (the prefill) knows the prompt's logprobs; a decode reports them empty, which is why a
 * balancer merges the prefill's into the decode's answer.
 *
 * <p>The entries are written as the answer is serialized, not built as a tree first: with a large
 * {@code top_logprobs_num} they are millions (tens of MB of JSON), and a tree of them would cost many times that.
 */
final class Logprobs {
    private Logprobs() {
    }

    static void put(ObjectNode meta, GenerationRequest request, ItemOutput item) {
        List<Integer> prompt = item.hasInputLogprobs() ? item.item().promptIds() : List.of();
        List<Integer> output = List.copyOf(item.outputIds()); // a stream frame is serialized after more tokens came
        meta.putPOJO("input_token_logprobs", new Entries(prompt, 0));
        meta.putPOJO("output_token_logprobs", new Entries(output, 0));
        int top = request.topLogprobsNum();
        if (top > 0) {
            meta.putPOJO("input_top_logprobs", new Entries(prompt, top));
            meta.putPOJO("output_top_logprobs", new Entries(output, top));
        }
    }

    /** One entry per token, or with {@code top > 0}, per token a list of {@code top} alternatives. */
    private record Entries(List<Integer> tokenIds, int top) implements JsonSerializable {

        @Override
        public void serialize(JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartArray();
            for (int position = 0; position < tokenIds.size(); position++) {
                int id = tokenIds.get(position);
                if (top == 0) {
                    entry(json, SimulatedModel.logprob(id, position), id);
                    continue;
                }
                json.writeStartArray();
                for (int rank = 0; rank < top; rank++) {
                    entry(json, SimulatedModel.topLogprob(rank), SimulatedModel.topTokenId(id, position, rank));
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        }

        @Override
        public void serializeWithType(JsonGenerator json, SerializerProvider provider, TypeSerializer type) throws IOException {
            serialize(json, provider);
        }

        private static void entry(JsonGenerator json, double logprob, int tokenId) throws IOException {
            json.writeStartArray();
            json.writeNumber(logprob);
            json.writeNumber(tokenId);
            json.writeNull();
            json.writeEndArray();
        }
    }
}
