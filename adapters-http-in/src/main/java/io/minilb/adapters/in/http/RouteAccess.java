package io.minilb.adapters.in.http;

import io.minilb.application.generation.Endpoint;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which key a route needs. Every route is classified by its path, explicitly: a route with no class does not
 * start (see {@link AccessGuard#guardAll}), so no new route is left open by omission.
 */
enum RouteAccess {
    /** Probes and model discovery: open whatever the keys. */
    OPEN,
    /** Generation: {@code --api-key} (the admin key works too). */
    SERVING,
    /** What acts on or reveals the cluster: {@code --admin-api-key}, or {@code --api-key} when no admin key is set. */
    ADMIN;

    /**
     * The status page's own paths serve the same static HTML to everyone: a browser cannot send a key when it opens
     * a page, so the page sends it on its data requests ({@link StatusPage#DATA_PATH}, an admin path) instead.
     */
    private static final Set<String> OPEN_PATHS =
            Set.of("/health", "/readiness", "/v1/models", "/get_model_info", "/", "/status");
    private static final Set<String> ADMIN_PATHS = Set.of("/flush_cache", "/health_generate", "/get_server_info",
            "/workers", "/workers/" + RouteTable.PARAMETER, "/add_worker", "/remove_worker", "/list_workers",
            "/metrics", StatusPage.DATA_PATH);
    private static final Set<String> SERVING_PATHS =
            Arrays.stream(Endpoint.values()).map(Endpoint::path).collect(Collectors.toUnmodifiableSet());

    /** The class of a route, by the path it is declared with; empty for a path never classified. */
    static Optional<RouteAccess> of(String routePath) {
        if (OPEN_PATHS.contains(routePath)) {
            return Optional.of(OPEN);
        }
        if (ADMIN_PATHS.contains(routePath)) {
            return Optional.of(ADMIN);
        }
        return SERVING_PATHS.contains(routePath) ? Optional.of(SERVING) : Optional.empty();
    }
}
