package io.minilb.adapters.in.http;

import static io.minilb.adapters.in.http.BodyFields.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Payload;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses a generation body once, refuses what SGLang would refuse, and reads what routing needs from it; the body's
 * bytes become the payload ({@link SplicedBodyPayload}), or the tree when the body is not UTF-8.
 */
final class GenerationBodyParser {

    private GenerationBodyParser() {
    }

    static GenerationRequest parse(Endpoint endpoint, byte[] body) throws InvalidRequestException {
        return parse(endpoint, body, Optional.empty());
    }

    /** As {@link #parse(Endpoint, byte[])}, with the routing key the client gave in a header. */
    static GenerationRequest parse(Endpoint endpoint, byte[] body, Optional<String> routingKey)
            throws InvalidRequestException {
        ObjectNode json = JsonBodyReader.readObject(body);
        boolean stream = flag(json, "stream");
        boolean returnLogprob = flag(json, "return_logprob");
        BodyValidator.forEndpoint(endpoint).check(json);
        return new GenerationRequest(
                endpoint,
                SplicedBodyPayload.of(body).<Payload>map(spliced -> spliced).orElseGet(() -> new JsonBodyPayload(json)),
                stream,
                returnLogprob,
                endpoint == Endpoint.GENERATE ? batchSize(json) : OptionalInt.empty(),
                PromptPrefix.of(json, routingKey));
    }

    /**
     * Missing or null is false, as in SGLang, which reads these flags as pydantic does in lax mode: besides true and
     * false, the numbers 0 and 1 and the strings of {@link BodyFields#laxBoolean}. Anything else is refused.
     */
    private static boolean flag(ObjectNode json, String field) throws InvalidRequestException {
        JsonNode value = json.path(field);
        if (!given(value)) {
            return false;
        }
        return BodyFields.laxBoolean(value).orElseThrow(() -> new InvalidRequestException(
                "\"" + field + "\" must be a boolean (true or false), got " + BodyFields.shown(value)));
    }

    /**
     * A batch is a list of prompts in the input SGLang uses: {@code text} if given, else {@code input_ids}, else
     * {@code input_embeds}. The body was validated, so the input used has a first item.
     */
    private static OptionalInt batchSize(ObjectNode json) {
        JsonNode text = json.path("text");
        if (given(text)) {
            return text.isArray() ? OptionalInt.of(text.size()) : OptionalInt.empty();
        }
        JsonNode inputIds = json.path("input_ids");
        if (given(inputIds)) {
            return inputIds.get(0).isArray() ? OptionalInt.of(inputIds.size()) : OptionalInt.empty();
        }
        JsonNode embeds = json.path("input_embeds");
        return embeds.get(0).get(0).isArray() ? OptionalInt.of(embeds.size()) : OptionalInt.empty();
    }
}
