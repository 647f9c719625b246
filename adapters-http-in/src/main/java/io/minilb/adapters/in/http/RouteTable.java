package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Path routing with the methods each path allows; anything else gets a JSON 404, or 405 with {@code Allow}. A path
 * is exact, or ends in {@value #PARAMETER}: that last segment then matches any one non-empty segment, which the
 * handler reads with {@link #pathParameter}.
 */
final class RouteTable implements HttpHandler {

    /** A 404 echoes no more of the path than this many code points, however long the path a client sent. */
    static final int PATH_ECHO_LIMIT = 64;
    static final String PARAMETER = "{id}";

    private static final AttachmentKey<String> PATH_PARAMETER = AttachmentKey.create(String.class);

    record Route(List<String> methods, String path, HttpHandler handler) {
        Route(String method, String path, HttpHandler handler) {
            this(List.of(method), path, handler);
        }

        /** For a parameter route, the path up to and including the slash before the parameter. */
        String key() {
            return path.endsWith("/" + PARAMETER) ? path.substring(0, path.length() - PARAMETER.length()) : path;
        }
    }

    /**
     * Exact paths as they are; parameter routes by their key, which ends in a slash (of exact paths, only the root
     * does: a match on a key is checked to be a parameter route).
     */
    private final Map<String, Route> routesByKey;
    /** Each route's recorder, by the same key: resolved here once, so a request costs one more map lookup. */
    private final Map<String, RouteMetrics> metricsByKey;

    RouteTable(List<Route> routes) {
        this(routes, HttpMetrics.NONE);
    }

    RouteTable(List<Route> routes, HttpMetrics metrics) {
        this.routesByKey = routes.stream().collect(Collectors.toUnmodifiableMap(Route::key, Function.identity()));
        this.metricsByKey = routes.stream().collect(Collectors.toUnmodifiableMap(Route::key,
                route -> metrics.route(route.path())));
    }

    /** The last path segment a parameter route matched. */
    static String pathParameter(HttpServerExchange exchange) {
        return exchange.getAttachment(PATH_PARAMETER);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        Route route = match(exchange, path);
        if (route == null) {
            Responses.error(exchange, 404, ErrorBody.NOT_FOUND, "no route for " + abbreviated(path));
            return;
        }
        RequestTimeline timeline = RequestTimeline.of(exchange);
        if (timeline != null) {
            timeline.routed(metricsByKey.get(route.key()));
        }
        HttpString method = exchange.getRequestMethod();
        if (route.methods().stream().noneMatch(method::equalToString)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", route.methods()));
            Responses.error(exchange, 405, ErrorBody.METHOD_NOT_ALLOWED,
                    method + " is not allowed on " + path + "; use " + String.join(" or ", route.methods()));
            return;
        }
        route.handler().handleRequest(exchange);
    }

    private Route match(HttpServerExchange exchange, String path) {
        Route exact = routesByKey.get(path);
        if (exact != null && exact.path().equals(path)) {
            return exact;
        }
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash < 0 || lastSlash == path.length() - 1) {
            return null;
        }
        Route parameterized = routesByKey.get(path.substring(0, lastSlash + 1));
        if (parameterized == null || !parameterized.path().endsWith("/" + PARAMETER)) {
            return null;
        }
        exchange.putAttachment(PATH_PARAMETER, path.substring(lastSlash + 1));
        return parameterized;
    }

    static String abbreviated(String path) {
        if (path.codePointCount(0, path.length()) <= PATH_ECHO_LIMIT) {
            return path;
        }
        return path.substring(0, path.offsetByCodePoints(0, PATH_ECHO_LIMIT)) + "...";
    }
}
