package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.DoublePredicate;

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
