package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Exact-path routing with the methods each path allows; anything else gets a JSON 404, or 405 with {@code Allow}. */
final class RouteTable implements HttpHandler {

    /** A 404 echoes no more of the path than this many code points, however long the path a client sent. */
    static final int PATH_ECHO_LIMIT = 64;

    record Route(List<String> methods, String path, HttpHandler handler) {
        Route(String method, String path, HttpHandler handler) {
            this(List.of(method), path, handler);
        }
    }

    private final Map<String, Route> routesByPath;

    RouteTable(List<Route> routes) {
        this.routesByPath = routes.stream().collect(Collectors.toUnmodifiableMap(Route::path, Function.identity()));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        Route route = routesByPath.get(path);
        if (route == null) {
            Responses.error(exchange, 404, ErrorBody.NOT_FOUND, "no route for " + abbreviated(path));
            return;
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

    private static String abbreviated(String path) {
        if (path.codePointCount(0, path.length()) <= PATH_ECHO_LIMIT) {
            return path;
        }
        return path.substring(0, path.offsetByCodePoints(0, PATH_ECHO_LIMIT)) + "...";
    }
}
