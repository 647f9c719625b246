package io.minilb.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** Reads request bodies without blocking the IO thread. */
public final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * Hands the whole body to {@code then} on the IO thread, parsed: a JSON tree, a string node when the body is
     * not JSON, or null when empty. {@code then} runs inside Undertow's handler call, so it may answer at once or
     * take the exchange over with {@link AsyncExchange#begin}.
     */
    public static void readJson(HttpServerExchange exchange, BiConsumer<HttpServerExchange, JsonNode> then) {
        exchange.getRequestReceiver().receiveFullBytes((ex, bytes) -> then.accept(ex, parse(bytes)));
    }

    private static JsonNode parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (IOException notJson) {
            return TextNode.valueOf(text);
        }
    }
}
