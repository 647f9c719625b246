package io.minilb.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Complete (non-streamed) answers. Call on the exchange's IO thread. */
public final class Responses {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    private Responses() {
    }

    public static void json(HttpServerExchange exchange, int status, JsonNode body) {
        send(exchange, status, JSON, Json.write(body));
    }

    public static void text(HttpServerExchange exchange, int status, String body) {
        send(exchange, status, TEXT, body);
    }

    /** A status with an empty body, as SGLang's {@code /health} answers. */
    public static void empty(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
    }

    private static void send(HttpServerExchange exchange, int status, String contentType, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseSender().send(body);
    }
}
