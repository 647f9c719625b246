package io.minilb.adapters.in.http;

import static io.minilb.adapters.in.http.BodyFields.given;
import static io.minilb.adapters.in.http.BodyFields.invalid;
import static io.minilb.adapters.in.http.BodyFields.isNumeric;
import static io.minilb.adapters.in.http.BodyFields.numericValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The OpenAI fields SGLang turns into sampling parameters. Its request models (pydantic, lax) take a number, a bool
 * or a numeric string where they expect a number, and only a whole number where they expect an int; the values
 * then meet {@code SamplingParams.verify()}'s ranges. Strings are passed on unchecked: whether pydantic reads them
 * as numbers is its call.
 */
final class OpenAiSamplingValidator {

    private static final List<Map.Entry<String, SamplingRange>> RANGES =
            SamplingRange.commonFieldsAnd(Map.entry("min_tokens", SamplingRange.TOKEN_COUNT));
    private static final List<String> INTEGERS =
            List.of("top_k", "min_tokens", "max_tokens", "max_completion_tokens", "n");
    private static final List<String> NUMBERS =
            Stream.concat(RANGES.stream().map(Map.Entry::getKey), INTEGERS.stream()).distinct().toList();

    private OpenAiSamplingValidator() {
    }

    /** @param maxTokenFields where SGLang takes {@code max_new_tokens} from: the first of them given and not 0 */
    static void check(ObjectNode body, List<String> maxTokenFields) throws InvalidRequestException {
        for (String field : NUMBERS) {
            checkType(body.path(field), field);
        }
        boolean topKApplies = SamplingRange.topKApplies(body.path("temperature"));
        for (Map.Entry<String, SamplingRange> field : RANGES) {
            JsonNode value = body.path(field.getKey());
            if (isNumeric(value) && (topKApplies || !field.getKey().equals("top_k"))) {
                field.getValue().check(field.getKey(), value);
            }
        }
        checkMaxTokens(body, maxTokenFields);
    }

    private static void checkType(JsonNode value, String field) throws InvalidRequestException {
        if (!given(value) || value.isTextual()) {
            return;
        }
        if (!isNumeric(value)) {
            throw invalid(field, "must be a number");
        }
        if (INTEGERS.contains(field) && !BodyFields.isWholeNumber(value)) {
            throw invalid(field, "must be a whole number, got " + value);
        }
    }

    /**
     * SGLang releases differ in which of several max-token fields wins, so a negative one is refused only when
     * every field given (and not 0) is negative, and the minimum is compared with a maximum only when there is one.
     */
    private static void checkMaxTokens(ObjectNode body, List<String> maxTokenFields) throws InvalidRequestException {
        List<String> nonZero = new ArrayList<>();
        for (String field : maxTokenFields) {
            JsonNode value = body.path(field);
            if (value.isTextual()) {
                return;
            }
            if (isNumeric(value) && numericValue(value) != 0) {
                nonZero.add(field);
            }
        }
        if (nonZero.isEmpty()) {
            return;
        }
        if (nonZero.stream().allMatch(field -> numericValue(body.path(field)) < 0)) {
            SamplingRange.TOKEN_COUNT.check(nonZero.get(0), body.path(nonZero.get(0)));
        }
        if (nonZero.size() == 1) {
            BodyFields.requireOrdered("min_tokens", body.path("min_tokens"), nonZero.get(0), body.path(nonZero.get(0)));
        }
    }
}
