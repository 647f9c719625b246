package io.minilb.adapters.in.http;

import io.minilb.adapters.in.http.RouteTable.Route;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * mini-lb's HTTP front: SGLang's load-balancer routes on Undertow. Every handler is non-blocking (the use cases
 * answer asynchronously), so requests are served on the IO threads alone.
 */
public final class MiniLbHttpServer {

    /** The largest request line plus headers accepted: ample for any API client's head. */
    static final int MAX_REQUEST_HEAD_BYTES = 64 * 1024;

    private final Undertow undertow;

    public MiniLbHttpServer(
            RouteGenerationUseCase generations,
            ClusterAdminUseCase admin,
            ServingState servingState,
            HttpServerSettings settings) {
        Objects.requireNonNull(generations, "generations");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(servingState, "servingState");
        Objects.requireNonNull(settings, "settings");
        HttpHandler routes = new RouteTable(routes(generations, admin, servingState, (int) settings.maxPayloadBytes()));
        // The guard comes first, so that a request it refuses is not told to send its body (100 Continue).
        HttpHandler handler = new TransferEncodingGuard(new HttpContinueReadHandler(routes));
        this.undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.host())
                .setIoThreads(Runtime.getRuntime().availableProcessors())
                .setWorkerThreads(1) // nothing is dispatched to worker threads
                // Undertow answers a longer head with an empty 400 and closes; its default is 1 MiB per connection.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_REQUEST_HEAD_BYTES)
                // curl sends "Expect: 100-continue" with large bodies and would otherwise wait a second.
                .setHandler(handler)
                .build();
    }

    private static List<Route> routes(
            RouteGenerationUseCase generations, ClusterAdminUseCase admin, ServingState servingState, int maxPayload) {
        List<Route> routes = new ArrayList<>(List.of(
                // HEAD too: load balancers and probes check health without a body. Undertow sends none for HEAD.
                new Route(List.of("GET", "HEAD"), "/health",
                        exchange -> Responses.empty(exchange, servingState.isDraining() ? 503 : 200)),
                adminRoute(AdminRequest.HEALTH_GENERATE, new AllServersHandler(
                        admin, AdminRequest.HEALTH_GENERATE, "", 503, ErrorBody.BACKEND_UNHEALTHY)),
                adminRoute(AdminRequest.FLUSH_CACHE, new AllServersHandler(
                        admin, AdminRequest.FLUSH_CACHE, "Cache flushed on every server.\n", 502, ErrorBody.BACKEND_ERROR)),
                adminRoute(AdminRequest.SERVER_INFO, new ServerInfoHandler(admin)),
                adminRoute(AdminRequest.MODEL_INFO, new PrefillProxyHandler(admin, AdminRequest.MODEL_INFO)),
                adminRoute(AdminRequest.MODELS, new PrefillProxyHandler(admin, AdminRequest.MODELS))));
        for (Endpoint endpoint : Endpoint.values()) {
            routes.add(new Route("POST", endpoint.path(), new GenerationHandler(generations, endpoint, maxPayload)));
        }
        return routes;
    }

    /** Served under the same method and path as the backend call it makes. */
    private static Route adminRoute(AdminRequest request, HttpHandler handler) {
        return new Route(request.method(), request.path(), handler);
    }

    public void start() {
        undertow.start();
    }

    /** The port actually bound, which differs from the configured one when that was 0. */
    public int port() {
        List<Undertow.ListenerInfo> listeners = undertow.getListenerInfo();
        if (listeners.isEmpty()) {
            throw new IllegalStateException("the server is not started");
        }
        return ((InetSocketAddress) listeners.get(0).getAddress()).getPort();
    }

    /** Closes the listener and every connection; requests still in flight are cut off. */
    public void stop() {
        undertow.stop();
    }
}
