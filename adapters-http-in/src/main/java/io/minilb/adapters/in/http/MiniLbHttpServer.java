package io.minilb.adapters.in.http;

import io.minilb.adapters.in.http.RouteTable.Route;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.limits.MemoryBudget;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * mini-lb's HTTP front: SGLang's load-balancer routes on Undertow. Every handler is non-blocking (the use cases
 * answer asynchronously), so requests are served on the IO threads alone.
 *
 * <p>What a client is granted, and what it sees at each limit of {@link HttpServerSettings}:
 * <ul>
 *   <li>a request head not read within the request read timeout, or a connection left that long without a
 *       request: the connection is closed (no status can be answered to a request whose head is incomplete);
 *   <li>a generation body not read within the request read timeout of its head: 408 {@code request_timeout},
 *       and the connection is closed;
 *   <li>beyond the connection cap: the new connection is closed at once (see {@link ConnectionCap});
 *   <li>a generation body that does not fit the memory budget: 503 {@code overloaded}, without reading it;
 *   <li>a stream whose client reads slowly: the decode is paused while the stream buffer is full.
 * </ul>
 *
 * <p>With {@link AccessKeys}, a request without the key its route's {@link RouteAccess} class needs gets 401 before
 * any of its body is read.
 */
public final class MiniLbHttpServer {

    /** The largest request line plus headers accepted: ample for any API client's head. */
    static final int MAX_REQUEST_HEAD_BYTES = 64 * 1024;

    private final HttpListener listener;

    public MiniLbHttpServer(
            RouteGenerationUseCase generations,
            ClusterAdminUseCase admin,
            ManageWorkersUseCase workers,
            ServingState servingState,
            HttpServerSettings settings,
            MemoryBudget memoryBudget) {
        this(generations, admin, workers, servingState, settings, memoryBudget, ServerFeatures.defaults());
    }

    /** As the other constructor, with what {@code features} adds: request ids, keys, metrics, the status page. */
    public MiniLbHttpServer(
            RouteGenerationUseCase generations,
            ClusterAdminUseCase admin,
            ManageWorkersUseCase workers,
            ServingState servingState,
            HttpServerSettings settings,
            MemoryBudget memoryBudget,
            ServerFeatures features) {
        Objects.requireNonNull(generations, "generations");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(servingState, "servingState");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(memoryBudget, "memoryBudget");
        List<Route> table = routes(generations, admin, servingState, settings, memoryBudget);
        table.addAll(WorkerRoutes.routes(workers, settings, memoryBudget));
        features.metricsEndpoint().ifPresent(endpoint ->
                table.add(new Route(MetricsListener.METHODS, MetricsListener.PATH, endpoint)));
        features.statusEndpoint().ifPresent(endpoint -> table.addAll(StatusPage.routes(endpoint)));
        HttpMetrics metrics = features.metrics();
        HttpHandler routes = new RouteTable(AccessGuard.guardAll(table, features.accessKeys()), metrics);
        // The guard comes first, so that a request it refuses is not told to send its body (100 Continue); curl
        // sends "Expect: 100-continue" with large bodies and would otherwise wait a second.
        // The request context comes before anything that may answer, so every answer carries the request id.
        this.listener = new HttpListener(settings, new RequestContextHandler(features.requestContext(),
                new MeasuredExchanges(metrics, new TransferEncodingGuard(new HttpContinueReadHandler(routes)))),
                () -> metrics.rejected(Rejection.CONNECTION_CAP), Runtime.getRuntime().availableProcessors());
        metrics.clientConnections(listener::openConnections);
    }

    private static List<Route> routes(RouteGenerationUseCase generations, ClusterAdminUseCase admin,
            ServingState servingState, HttpServerSettings settings, MemoryBudget memoryBudget) {
        List<Route> routes = new ArrayList<>(List.of(
                // HEAD too: load balancers and probes check health without a body. Undertow sends none for HEAD.
                new Route(List.of("GET", "HEAD"), "/health",
                        exchange -> Responses.empty(exchange, servingState.isServing() ? 200 : 503)),
                adminRoute(AdminRequest.HEALTH_GENERATE, new AllServersHandler(
                        admin, AdminRequest.HEALTH_GENERATE, "", 503, ErrorBody.BACKEND_UNHEALTHY)),
                adminRoute(AdminRequest.FLUSH_CACHE, new AllServersHandler(
                        admin, AdminRequest.FLUSH_CACHE, "Cache flushed on every server.\n", 502, ErrorBody.BACKEND_ERROR)),
                adminRoute(AdminRequest.SERVER_INFO, new ServerInfoHandler(admin)),
                adminRoute(AdminRequest.MODEL_INFO, new PrefillProxyHandler(admin, AdminRequest.MODEL_INFO)),
                adminRoute(AdminRequest.MODELS, new PrefillProxyHandler(admin, AdminRequest.MODELS))));
        for (Endpoint endpoint : Endpoint.values()) {
            routes.add(new Route("POST", endpoint.path(),
                    new GenerationHandler(generations, endpoint, settings, memoryBudget)));
        }
        return routes;
    }

    /** Served under the same method and path as the backend call it makes. */
    private static Route adminRoute(AdminRequest request, HttpHandler handler) {
        return new Route(request.method(), request.path(), handler);
    }

    public void start() {
        listener.start();
    }

    /** The port actually bound, which differs from the configured one when that was 0. */
    public int port() {
        return listener.port();
    }

    /** Closes the listener and every connection; requests still in flight are cut off. */
    public void stop() {
        listener.stop();
    }
}
