package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.Stream;

/**
 * The ranges SGLang's {@code SamplingParams.verify()} enforces. Both /generate's {@code sampling_params} and the
 * OpenAI fields SGLang maps onto them end there.
 */
enum SamplingRange {
    TEMPERATURE("a finite number of at least 0", v -> v >= 0 && Double.isFinite(v)),
    TOP_P("a number in (0, 1]", v -> v > 0 && v <= 1),
    TOP_K("-1 (no limit) or a number of at least 1", v -> v == -1 || v >= 1),
    MIN_P("a number in [0, 1]", v -> v >= 0 && v <= 1),
    PENALTY("a number in [-2, 2]", v -> v >= -2 && v <= 2),
    // Current SGLang also refuses 0, which earlier releases accepted: what some release accepts is passed on.
    REPETITION_PENALTY("a number in [0, 2]", v -> v >= 0 && v <= 2),
    TOKEN_COUNT("a number of at least 0", v -> v >= 0);

    /** The fields named alike in /generate's {@code sampling_params} and in the OpenAI requests, with their ranges. */
    static final List<Map.Entry<String, SamplingRange>> COMMON_FIELDS = List.of(
            Map.entry("temperature", TEMPERATURE),
            Map.entry("top_p", TOP_P),
            Map.entry("top_k", TOP_K),
            Map.entry("min_p", MIN_P),
            Map.entry("frequency_penalty", PENALTY),
            Map.entry("presence_penalty", PENALTY),
            Map.entry("repetition_penalty", REPETITION_PENALTY));

    /** Below this temperature SGLang samples greedily and ignores {@code top_k}. */
    static final double GREEDY_TEMPERATURE = 1e-6;

    private final String rule;
    private final DoublePredicate allowed;

    SamplingRange(String rule, DoublePredicate allowed) {
        this.rule = rule;
        this.allowed = allowed;
    }

    /** Checks a numeric value. */
    void check(String field, JsonNode value) throws InvalidRequestException {
        if (!allowed.test(BodyFields.numericValue(value))) {
            throw BodyFields.invalid(field, "must be " + rule + ", got " + value);
        }
    }

    /** The common fields and then these. */
    @SafeVarargs
    static List<Map.Entry<String, SamplingRange>> commonFieldsAnd(Map.Entry<String, SamplingRange>... more) {
        return Stream.concat(COMMON_FIELDS.stream(), Stream.of(more)).toList();
    }

    InvalidRequestException notANumber(String field) {
        return BodyFields.invalid(field, "must be " + rule);
    }

    /**
     * Whether {@code top_k} counts: only at a temperature the body gives and that is not greedy. Without one, the
     * temperature may come from the server's defaults, and at a greedy one SGLang ignores {@code top_k}.
     */
    static boolean topKApplies(JsonNode temperature) {
        if (!BodyFields.isNumeric(temperature)) {
            return false;
        }
        double value = BodyFields.numericValue(temperature);
        return !(value >= 0 && value < GREEDY_TEMPERATURE);
    }
}
