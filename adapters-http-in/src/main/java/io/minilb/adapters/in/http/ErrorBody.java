package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.Side;

/** The one shape of every error mini-lb answers: {@code {"error": {"message": ..., "type": ...}}}. */
final class ErrorBody {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String NOT_FOUND = "not_found";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String INTERNAL = "internal_error";
    static final String REQUEST_TIMEOUT = "request_timeout";
    static final String OVERLOADED = "overloaded";
    static final String BACKEND_UNREACHABLE = "backend_unreachable";
    static final String BACKEND_UNHEALTHY = "backend_unhealthy";
    static final String BACKEND_ERROR = "backend_error";

    private ErrorBody() {
    }

    static ObjectNode of(String type, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("error").put("message", message).put("type", type);
        return body;
    }

    /** A failed generation, naming the leg that failed (none for a request refused before choosing a pair). */
    static ObjectNode of(GenerationFailure failure) {
        ObjectNode body = of(failure.kind().type(), failure.message());
        if (failure.side() != Side.NONE) {
            details(body).put("side", failure.side().label());
        }
        return body;
    }

    /** The inner {@code error} object, for routes that add fields to it. */
    static ObjectNode details(ObjectNode body) {
        return (ObjectNode) body.get("error");
    }
}
