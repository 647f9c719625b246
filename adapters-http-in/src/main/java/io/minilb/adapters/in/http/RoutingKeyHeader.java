package io.minilb.adapters.in.http;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.Optional;

/**
 * The routing key a client gives for session affinity: SGLang's router's {@code X-SMG-Routing-Key}, else the
 * {@code X-Session-Id} many clients already send. Its length is bounded by the server's header size limit.
 */
final class RoutingKeyHeader {

    static final HttpString ROUTING_KEY = new HttpString("X-SMG-Routing-Key");
    static final HttpString SESSION_ID = new HttpString("X-Session-Id");

    private RoutingKeyHeader() {
    }

    static Optional<String> from(HeaderMap headers) {
        String key = headers.getFirst(ROUTING_KEY);
        if (key == null || key.isBlank()) {
            key = headers.getFirst(SESSION_ID);
        }
        return Optional.ofNullable(key).map(String::strip).filter(value -> !value.isEmpty());
    }
}
