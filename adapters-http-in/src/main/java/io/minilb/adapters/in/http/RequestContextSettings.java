package io.minilb.adapters.in.http;

import java.util.List;
import java.util.Locale;

/**
 * How a request is identified and what of it reaches the servers.
 *
 * @param requestIdHeaders where a client's request id is looked for, in order (the first present and acceptable one
 *     wins); also forwarded to both servers
 * @param forwardHeaders headers forwarded to both servers besides {@link ForwardedHeaders#ALWAYS} and the request-id
 *     headers; hop-by-hop headers and those describing the body cannot be named
 * @param accessLog one line per request on the {@value AccessLog#LOGGER_NAME} logger
 */
public record RequestContextSettings(List<String> requestIdHeaders, List<String> forwardHeaders, boolean accessLog) {

    /** SGLang's router's list. */
    public static final List<String> DEFAULT_REQUEST_ID_HEADERS =
            List.of("x-request-id", "x-correlation-id", "x-trace-id", "request-id");

    public RequestContextSettings {
        requestIdHeaders = lowerCase(requestIdHeaders);
        forwardHeaders = lowerCase(forwardHeaders);
        if (requestIdHeaders.isEmpty()) {
            throw new IllegalArgumentException("give at least one request id header");
        }
        for (String name : requestIdHeaders) {
            ForwardedHeaders.requireForwardable(name, "--request-id-headers");
        }
        for (String name : forwardHeaders) {
            ForwardedHeaders.requireForwardable(name, "--forward-headers");
        }
    }

    public static RequestContextSettings defaults() {
        return new RequestContextSettings(DEFAULT_REQUEST_ID_HEADERS, List.of(), true);
    }

    private static List<String> lowerCase(List<String> names) {
        return names.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
