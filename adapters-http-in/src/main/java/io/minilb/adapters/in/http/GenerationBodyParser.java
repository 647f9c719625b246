package io.minilb.adapters.in.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import java.io.IOException;
import java.util.OptionalInt;

/** Parses a generation body once and reads what routing needs from it; the tree itself becomes the payload. */
final class GenerationBodyParser {

    private GenerationBodyParser() {
    }

    static GenerationRequest parse(Endpoint endpoint, byte[] body) throws InvalidRequestException {
        ObjectNode json = parseObject(body);
        return new GenerationRequest(
                endpoint,
                new JsonBodyPayload(json),
                flag(json, "stream"),
                flag(json, "return_logprob"),
                endpoint == Endpoint.GENERATE ? batchSize(json) : OptionalInt.empty());
    }

    private static ObjectNode parseObject(byte[] body) throws InvalidRequestException {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("request body is not valid JSON: " + e.getOriginalMessage() + at(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail with I/O", e);
        }
        if (json.isMissingNode()) {
            throw new InvalidRequestException("request body is empty; expected a JSON object");
        }
        if (!json.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object, got " + json.getNodeType());
        }
        return (ObjectNode) json;
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Missing or null is false, as in SGLang; anything but a boolean is refused rather than guessed. */
    private static boolean flag(ObjectNode json, String field) throws InvalidRequestException {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequestException("\"" + field + "\" must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    /** A batch is {@code text} as a list of strings or {@code input_ids} as a list of lists. */
    private static OptionalInt batchSize(ObjectNode json) throws InvalidRequestException {
        JsonNode text = json.path("text");
        if (text.isArray()) {
            requireItems(text, "text");
            for (JsonNode item : text) {
                if (!item.isTextual()) {
                    throw new InvalidRequestException("\"text\" must be a string or a list of strings");
                }
            }
            return OptionalInt.of(text.size());
        }
        JsonNode inputIds = json.path("input_ids");
        if (inputIds.isArray()) {
            requireItems(inputIds, "input_ids");
            boolean batch = inputIds.get(0).isArray();
            for (JsonNode item : inputIds) {
                if (item.isArray() != batch) {
                    throw new InvalidRequestException(
                            "\"input_ids\" must be a list of token ids or a list of such lists, not a mix");
                }
            }
            return batch ? OptionalInt.of(inputIds.size()) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    private static void requireItems(JsonNode list, String field) throws InvalidRequestException {
        if (list.isEmpty()) {
            throw new InvalidRequestException("\"" + field + "\" must not be an empty list");
        }
    }
}
