package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.http.Json;
import io.undertow.util.StatusCodes;

/** Error bodies shaped as SGLang's HTTP server writes them. */
public final class SglangErrors {
    private SglangErrors() {
    }

    /** SGLang's {@code ErrorResponse}, the body of a failed non-streamed request. */
    public static ObjectNode body(int status, String message) {
        ObjectNode error = Json.object()
                .put("object", "error")
                .put("message", message)
                .put("type", StatusCodes.getReason(status));
        error.putNull("param");
        return error.put("code", status);
    }

    /** The frame SGLang sends when a streamed request fails after its headers went out. */
    public static ObjectNode streamFrame(int status, String message) {
        ObjectNode frame = Json.object();
        frame.set("error", body(status, message));
        return frame;
    }
}
