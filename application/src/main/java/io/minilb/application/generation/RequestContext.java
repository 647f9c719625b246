package io.minilb.application.generation;

import java.util.List;
import java.util.Objects;

/**
 * Who a request is, as the servers and the logs see it: its id, and the client headers to forward to both legs
 * (already chosen and bounded by the inbound adapter; hop-by-hop headers never among them).
 *
 * @param requestId echoed to the client, sent to both servers and carried by every log line about the request;
 *     empty when the request has none (a call made by mini-lb itself)
 */
public record RequestContext(String requestId, List<Header> headers) {

    private static final RequestContext EMPTY = new RequestContext("", List.of());

    public RequestContext {
        Objects.requireNonNull(requestId, "requestId");
        headers = List.copyOf(headers);
    }

    public static RequestContext empty() {
        return EMPTY;
    }

    public boolean hasRequestId() {
        return !requestId.isEmpty();
    }

    /** One header as the client sent it. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
