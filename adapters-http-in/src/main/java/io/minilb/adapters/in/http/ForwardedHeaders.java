package io.minilb.adapters.in.http;

import io.minilb.application.generation.RequestContext;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses the client headers that go to both servers: {@link #ALWAYS}, the request-id headers and the configured
 * ones, never a hop-by-hop header (RFC 9110 7.6.1: those of the connection, and any the client names in
 * {@code Connection}) nor one describing the body mini-lb rewrites. The request's own id always goes as
 * {@code x-request-id}. What is forwarded is bounded: at most {@value #MAX_HEADERS} headers and
 * {@value #MAX_BYTES} bytes of names and values; headers past either bound are dropped, in the order received.
 */
final class ForwardedHeaders {

    static final String REQUEST_ID = "x-request-id";
    static final List<String> ALWAYS = List.of("authorization", "traceparent", "tracestate");
    static final int MAX_HEADERS = 32;
    static final int MAX_BYTES = 16 * 1024;

    private static final Set<String> NEVER = Set.of("connection", "keep-alive", "te", "trailer", "transfer-encoding",
            "upgrade", "host", "content-length", "content-type", "content-encoding", "expect");

    private final Set<String> forwarded = new HashSet<>();
    private final Set<String> requestIdHeaders;

    ForwardedHeaders(RequestContextSettings settings) {
        this.requestIdHeaders = Set.copyOf(settings.requestIdHeaders());
        forwarded.addAll(ALWAYS);
        forwarded.addAll(settings.requestIdHeaders());
        forwarded.addAll(settings.forwardHeaders());
    }

    static void requireForwardable(String name, String flag) {
        if (name.isEmpty() || NEVER.contains(name) || name.startsWith("proxy-")) {
            throw new IllegalArgumentException(flag + ": '" + name + "' is a hop-by-hop header or describes the "
                    + "body, and is never forwarded");
        }
    }

    List<RequestContext.Header> select(HeaderMap request, String requestId) {
        Set<String> namedInConnection = connectionTokens(request);
        List<RequestContext.Header> chosen = new ArrayList<>();
        chosen.add(new RequestContext.Header(REQUEST_ID, requestId));
        int bytes = REQUEST_ID.length() + requestId.length();
        for (HeaderValues values : request) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            if (name.equals(REQUEST_ID) || !forwarded.contains(name) || namedInConnection.contains(name)) {
                continue;
            }
            for (String value : values) {
                if (requestIdHeaders.contains(name) && !RequestIds.acceptable(value)) {
                    continue;
                }
                bytes += name.length() + value.length();
                if (chosen.size() == MAX_HEADERS || bytes > MAX_BYTES) {
                    return chosen;
                }
                chosen.add(new RequestContext.Header(name, value));
            }
        }
        return chosen;
    }

    private static Set<String> connectionTokens(HeaderMap request) {
        HeaderValues connection = request.get(Headers.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (String value : connection) {
            for (String token : value.split(",")) {
                tokens.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }
}
