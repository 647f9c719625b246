package io.minilb.adapters.in.http;

import static io.minilb.adapters.in.http.BodyFields.allMatch;
import static io.minilb.adapters.in.http.BodyFields.given;
import static io.minilb.adapters.in.http.BodyFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * /generate, as SGLang's {@code GenerateReqInput} reads it: the prompt is {@code text}, else {@code input_ids}, else
 * {@code input_embeds}; the shape of each given one is checked, and the one used must not be empty.
 */
final class GenerateBodyValidator implements BodyValidator {

    static final GenerateBodyValidator INSTANCE = new GenerateBodyValidator();

    private static final String INPUT_IDS_SHAPE = "must be a list of token ids or a list of such lists";
    private static final String EMBEDS_SHAPE =
            "must be a list of embeddings (lists of numbers) or a list of such lists";

    private GenerateBodyValidator() {
    }

    @Override
    public void check(ObjectNode body) throws InvalidRequestException {
        JsonNode text = body.path("text");
        JsonNode inputIds = body.path("input_ids");
        JsonNode embeds = body.path("input_embeds");
        checkOnePrompt(given(text), given(inputIds), given(embeds));
        if (given(text)) {
            checkText(text);
        }
        if (given(inputIds)) {
            checkInputIds(inputIds, !given(text));
        }
        if (given(embeds)) {
            checkEmbeds(embeds, !given(text) && !given(inputIds));
        }
        checkSamplingParams(body.path("sampling_params"));
    }

    /** SGLang wants at least one prompt, and refuses all three at once (any two: the first wins). */
    private static void checkOnePrompt(boolean text, boolean inputIds, boolean embeds) throws InvalidRequestException {
        if (!text && !inputIds && !embeds) {
            throw new InvalidRequestException("one of \"text\", \"input_ids\" or \"input_embeds\" is required");
        }
        if (text && inputIds && embeds) {
            throw new InvalidRequestException("\"text\", \"input_ids\" and \"input_embeds\" must not all be given");
        }
    }

    private static void checkText(JsonNode text) throws InvalidRequestException {
        if (text.isTextual()) {
            return;
        }
        if (text.isArray() && text.isEmpty()) {
            throw invalid("text", "must not be an empty list");
        }
        if (!text.isArray() || !allMatch(text, JsonNode::isTextual)) {
            throw invalid("text", "must be a string or a list of strings");
        }
    }

    /** A flat list of token ids is one prompt; a list of lists is a batch. */
    private static void checkInputIds(JsonNode inputIds, boolean used) throws InvalidRequestException {
        if (!inputIds.isArray()) {
            throw invalid("input_ids", INPUT_IDS_SHAPE);
        }
        if (inputIds.isEmpty()) {
            if (used) {
                throw invalid("input_ids", "must not be an empty list");
            }
            return;
        }
        if (!inputIds.get(0).isArray()) {
            checkTokenIds(inputIds, "input_ids");
            return;
        }
        for (int i = 0; i < inputIds.size(); i++) {
            JsonNode row = inputIds.get(i);
            if (!row.isArray()) {
                throw invalid("input_ids", INPUT_IDS_SHAPE);
            }
            if (used && row.isEmpty()) {
                throw invalid("input_ids[" + i + "]", "must not be an empty list");
            }
            checkTokenIds(row, "input_ids");
        }
    }

    /** SGLang stores token ids as 64-bit integers; a Python bool is an int, so it takes true and false too. */
    private static void checkTokenIds(JsonNode ids, String field) throws InvalidRequestException {
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() && !id.isBoolean()) {
                throw invalid(field, INPUT_IDS_SHAPE);
            }
            if (id.isIntegralNumber() && !id.canConvertToLong()) {
                throw invalid(field, "must hold token ids within 64 bits, got " + id);
            }
        }
    }

    /** SGLang reads {@code input_embeds[0][0]} to tell one prompt from a batch, so the one used must have it. */
    private static void checkEmbeds(JsonNode embeds, boolean used) throws InvalidRequestException {
        if (!embeds.isArray() || !allMatch(embeds, JsonNode::isArray)) {
            throw invalid("input_embeds", EMBEDS_SHAPE);
        }
        if (used && (embeds.isEmpty() || embeds.get(0).isEmpty())) {
            throw invalid("input_embeds", "must not be empty");
        }
    }

    /** One object for every prompt, or a list of them, one per prompt. */
    private static void checkSamplingParams(JsonNode params) throws InvalidRequestException {
        if (!given(params)) {
            return;
        }
        if (!params.isArray()) {
            SamplingParamsValidator.check(params, "sampling_params");
            return;
        }
        if (params.isEmpty()) {
            throw invalid("sampling_params", "must be an object or a non-empty list of objects");
        }
        for (int i = 0; i < params.size(); i++) {
            SamplingParamsValidator.check(params.get(i), "sampling_params[" + i + "]");
        }
    }
}
