package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;

/** Whole responses, written with Undertow's async sender (which also ends the exchange). */
final class Responses {

    private static final String JSON = "application/json";

    private Responses() {
    }

    static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
        exchange.setStatusCode(status);
        if (contentType != null) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    static void empty(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        exchange.endExchange();
    }

    static void json(HttpServerExchange exchange, int status, JsonNode body) {
        send(exchange, status, JSON, Json.bytes(body));
    }

    static void error(HttpServerExchange exchange, int status, String type, String message) {
        markFailed(exchange, type);
        json(exchange, status, ErrorBody.of(type, message));
    }

    /** Tells the request's metrics it was answered with an error of this type. */
    static void markFailed(HttpServerExchange exchange, String type) {
        RequestTimeline timeline = RequestTimeline.of(exchange);
        if (timeline != null) {
            timeline.failed(type);
        }
    }

    /** Gives up on a client that is gone: closes its connection and ends the exchange, firing its listeners. */
    static void dropClient(HttpServerExchange exchange) {
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
    }
}
