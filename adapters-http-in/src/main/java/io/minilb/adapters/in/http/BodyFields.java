package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** Reading body fields the way SGLang's Python server reads them, and naming them in the client's 400. */
final class BodyFields {

    /** How much of a client's value an error message quotes. */
    private static final int SHOWN_LENGTH = 64;

    private BodyFields() {
    }

    /** SGLang treats a field set to null like a missing one. */
    static boolean given(JsonNode value) {
        return !value.isMissingNode() && !value.isNull();
    }

    /** Python compares true and false as 1 and 0, so SGLang takes them wherever it takes a number. */
    static boolean isNumeric(JsonNode value) {
        return value.isNumber() || value.isBoolean();
    }

    /** The value of a numeric field; one beyond a double's range is infinite, as in Python. */
    static double numericValue(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue() ? 1 : 0;
        }
        return value.doubleValue();
    }

    /** A number without a fraction, or a bool: what pydantic takes for an int (2.0 but not 2.5). */
    static boolean isWholeNumber(JsonNode value) {
        if (value.isBoolean() || value.isIntegralNumber()) {
            return true;
        }
        // A parsed number has at most Json.MAX_NUMBER_LENGTH digits, so stripping its zeros costs little.
        return value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    /**
     * A boolean as pydantic reads one in lax mode: true or false, the numbers 0 and 1 (0.0 and 1.0 too), or a string
     * that is, once lower-cased, one of 0, off, f, false, n, no, 1, on, t, true, y, yes. Empty for anything else.
     */
    static Optional<Boolean> laxBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return Optional.of(value.booleanValue());
        }
        if (value.isNumber()) {
            double number = value.doubleValue();
            return number == 0 || number == 1 ? Optional.of(number == 1) : Optional.empty();
        }
        if (value.isTextual() && value.textValue().length() <= 5) {
            return switch (value.textValue().toLowerCase(Locale.ROOT)) {
                case "1", "on", "t", "true", "y", "yes" -> Optional.of(true);
                case "0", "off", "f", "false", "n", "no" -> Optional.of(false);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /** A value for an error message: a client's value is quoted only when short, never whole. */
    static String shown(JsonNode value) {
        if (value.isContainerNode()) {
            return "a JSON " + (value.isArray() ? "array" : "object");
        }
        String text = value.toString();
        return text.length() <= SHOWN_LENGTH ? text : text.substring(0, SHOWN_LENGTH) + "... (" + text.length()
                + " characters)";
    }

    static boolean allMatch(JsonNode list, Predicate<JsonNode> test) {
        for (JsonNode item : list) {
            if (!test.test(item)) {
                return false;
            }
        }
        return true;
    }

    static InvalidRequestException invalid(String field, String rule) {
        return new InvalidRequestException("\"" + field + "\" " + rule);
    }

    /**
     * SGLang refuses a minimum above its maximum. Checked only when the body gives both as numbers: a server's
     * defaults may fill in either.
     */
    static void requireOrdered(String minField, JsonNode min, String maxField, JsonNode max)
            throws InvalidRequestException {
        if (isNumeric(min) && isNumeric(max) && numericValue(min) > numericValue(max)) {
            throw invalid(minField, "must not be above \"" + maxField + "\" (" + max + "), got " + min);
        }
    }
}
