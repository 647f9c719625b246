package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Exact-path routing with one method per path; anything else gets a JSON 404, or 405 with {@code Allow}. */
final class RouteTable implements HttpHandler {

    record Route(String method, String path, HttpHandler handler) {
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
            Responses.error(exchange, 404, ErrorBody.NOT_FOUND, "no route for " + path);
            return;
        }
        HttpString method = exchange.getRequestMethod();
        if (!method.equalToString(route.method())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, route.method());
            Responses.error(exchange, 405, ErrorBody.METHOD_NOT_ALLOWED,
                    method + " is not allowed on " + path + "; use " + route.method());
            return;
        }
        route.handler().handleRequest(exchange);
    }
}
