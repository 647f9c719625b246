package io.minilb.adapters.in.http;

import static io.minilb.adapters.in.http.BodyFields.given;
import static io.minilb.adapters.in.http.BodyFields.invalid;
import static io.minilb.adapters.in.http.BodyFields.isNumeric;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * /generate's {@code sampling_params} object, as SGLang builds a {@code SamplingParams} from it: the values are not
 * converted, so anything but a number (or a bool, which Python compares as one) fails its comparisons, and numbers
 * must be in {@code verify()}'s ranges. A null is the default.
 */
final class SamplingParamsValidator {

    private static final List<Map.Entry<String, SamplingRange>> RANGES = SamplingRange.commonFieldsAnd(
            Map.entry("min_new_tokens", SamplingRange.TOKEN_COUNT),
            Map.entry("max_new_tokens", SamplingRange.TOKEN_COUNT));
    private static final List<String> GRAMMARS = List.of("json_schema", "regex", "ebnf");

    private SamplingParamsValidator() {
    }

    /** @param name how the client's message names this object, e.g. {@code sampling_params[1]} */
    static void check(JsonNode params, String name) throws InvalidRequestException {
        if (!params.isObject()) {
            throw invalid(name, "must be an object");
        }
        boolean topKApplies = SamplingRange.topKApplies(params.path("temperature"));
        for (Map.Entry<String, SamplingRange> field : RANGES) {
            JsonNode value = params.path(field.getKey());
            if (!given(value) || (field.getKey().equals("top_k") && !topKApplies)) {
                continue;
            }
            String fieldName = name + "." + field.getKey();
            if (!isNumeric(value)) {
                throw field.getValue().notANumber(fieldName);
            }
            field.getValue().check(fieldName, value);
        }
        JsonNode n = params.path("n");
        if (given(n) && !isNumeric(n)) {
            throw invalid(name + ".n", "must be a number");
        }
        BodyFields.requireOrdered(name + ".min_new_tokens", params.path("min_new_tokens"),
                name + ".max_new_tokens", params.path("max_new_tokens"));
        if (GRAMMARS.stream().filter(grammar -> given(params.path(grammar))).count() > 1) {
            throw invalid(name, "may set only one of \"json_schema\", \"regex\" and \"ebnf\"");
        }
    }
}
