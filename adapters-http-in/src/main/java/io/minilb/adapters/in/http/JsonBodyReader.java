package io.minilb.adapters.in.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads a request body into a JSON object. Its messages tell the client what is wrong and where, in plain words:
 * Jackson's own messages name its classes and settings, which mean nothing to a client.
 */
final class JsonBodyReader {

    private static final String NOT_JSON = "request body is not valid JSON: ";

    private JsonBodyReader() {
    }

    static ObjectNode readObject(byte[] body) throws InvalidRequestException {
        JsonNode json = readTree(body);
        if (json.isMissingNode()) {
            throw new InvalidRequestException("request body is empty; expected a JSON object");
        }
        if (!json.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object, got " + json.getNodeType());
        }
        return (ObjectNode) json;
    }

    private static JsonNode readTree(byte[] body) throws InvalidRequestException {
        try {
            return Json.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidRequestException(overLimit(e));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(NOT_JSON + problem(e) + at(e));
        } catch (NumberFormatException e) {
            // A BigDecimal's exponent must fit an int: 1e2147483648 parses as JSON but cannot be held.
            throw new InvalidRequestException("request body has a number too large or too small to represent");
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail with I/O", e);
        }
    }

    /** Which of the parser's limits was hit; the message text is the only place Jackson says so. */
    private static String overLimit(StreamConstraintsException e) {
        String detail = String.valueOf(e.getOriginalMessage());
        if (detail.contains("getMaxNestingDepth")) {
            return "request body nests deeper than " + Json.MAX_NESTING_DEPTH + " levels";
        }
        if (detail.contains("getMaxNumberLength")) {
            return "request body has a number longer than " + Json.MAX_NUMBER_LENGTH + " characters";
        }
        if (detail.contains("getMaxNameLength")) {
            return "request body has a field name longer than " + Json.MAX_NAME_LENGTH + " characters";
        }
        return "request body exceeds a limit of the JSON parser";
    }

    private static String problem(JsonProcessingException e) {
        String detail = String.valueOf(e.getOriginalMessage());
        if (e instanceof JsonEOFException) {
            return "it ends before the JSON value is complete";
        }
        if (e instanceof MismatchedInputException && detail.startsWith("Trailing token")) {
            return "more data follows the JSON value";
        }
        if (detail.startsWith("Invalid UTF-8")) {
            return "it is not valid UTF-8";
        }
        return "syntax error";
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
