package io.minilb.adapters.out.http;

import io.minilb.application.generation.RequestContext;
import java.util.Objects;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;

/**
 * The headers mini-lb adds to its calls to the servers: a client request's forwarded headers (chosen and bounded
 * by the inbound adapter), and, when mini-lb has a worker API key, {@code Authorization: Bearer KEY} in place of
 * the client's own, on every call (generations, admin calls, health checks), so a client's credential never reaches
 * the servers and a server started with {@code --api-key} accepts mini-lb's calls.
 */
public final class OutboundHeaders {

    private static final OutboundHeaders NONE = new OutboundHeaders(null);

    /** Null when mini-lb has no worker key: the client's Authorization, if any, is forwarded as it came. */
    private final String workerAuthorization;

    private OutboundHeaders(String workerAuthorization) {
        this.workerAuthorization = workerAuthorization;
    }

    /** Forwards the client's headers as they are. */
    public static OutboundHeaders none() {
        return NONE;
    }

    public static OutboundHeaders withWorkerApiKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isBlank() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the worker API key must be visible ASCII without spaces");
        }
        return new OutboundHeaders("Bearer " + key);
    }

    /** Adds the context's headers (the client's Authorization replaced by the worker key, when there is one). */
    void addTo(HttpRequest request, RequestContext context) {
        for (RequestContext.Header header : context.headers()) {
            if (workerAuthorization == null || !header.name().equalsIgnoreCase(HttpHeaders.AUTHORIZATION)) {
                request.addHeader(header.name(), header.value());
            }
        }
        addWorkerKey(request);
    }

    /** For mini-lb's own calls (health checks): the worker key alone. */
    void addWorkerKey(HttpRequest request) {
        if (workerAuthorization != null) {
            request.setHeader(HttpHeaders.AUTHORIZATION, workerAuthorization);
        }
    }
}
