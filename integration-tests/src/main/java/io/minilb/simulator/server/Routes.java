package io.minilb.simulator.server;

import io.minilb.simulator.http.Json;
import io.minilb.simulator.http.Responses;
import io.minilb.simulator.state.SimulatorStats;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;

/** The handlers of a simulator's ports. Unknown paths answer 404 and known ones 405 to other methods, as FastAPI does. */
public final class Routes {
    private static final String ADMIN_PREFIX = "/_sim/";

    private Routes() {
    }

    /** The HTTP port: SGLang's API plus the admin API; counts requests per path, admin ones aside. */
    public static HttpHandler api(InfoEndpoints info, GenerationEndpoint generation, AdminEndpoints admin, SimulatorStats stats) {
        RoutingHandler routes = routing();
        info.addTo(routes);
        generation.addTo(routes);
        admin.addTo(routes);
        return exchange -> {
            if (!exchange.getRequestPath().startsWith(ADMIN_PREFIX)) {
                stats.countRequest(exchange.getRequestPath());
            }
            routes.handleRequest(exchange);
        };
    }

    /** A prefill's bootstrap port: room claims plus the admin API. */
    public static HttpHandler bootstrap(BootstrapEndpoint claims, AdminEndpoints admin) {
        RoutingHandler routes = routing();
        claims.addTo(routes);
        admin.addTo(routes);
        return routes;
    }

    /** The optional admin port. */
    public static HttpHandler admin(AdminEndpoints admin) {
        RoutingHandler routes = routing();
        admin.addTo(routes);
        return routes;
    }

    private static RoutingHandler routing() {
        return new RoutingHandler()
                .setFallbackHandler(exchange -> Responses.json(exchange, 404, Json.object().put("detail", "Not Found")))
                .setInvalidMethodHandler(exchange -> Responses.json(exchange, 405, Json.object().put("detail", "Method Not Allowed")));
    }
}
