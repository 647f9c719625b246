package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTP server adds around its routes, each off or at its default unless set.
 *
 * @param requestContext request ids, forwarded headers and the access log
 * @param accessKeys the keys every route is guarded with, by its {@link RouteAccess} class
 * @param metrics records every request and connection
 * @param metricsEndpoint serves {@code GET /metrics}; empty for no such route
 * @param statusEndpoint serves the data the status page polls ({@value StatusPage#DATA_PATH}); empty for no status
 *     page
 */
public record ServerFeatures(
        RequestContextSettings requestContext,
        AccessKeys accessKeys,
        HttpMetrics metrics,
        Optional<HttpHandler> metricsEndpoint,
        Optional<HttpHandler> statusEndpoint) {

    public ServerFeatures {
        Objects.requireNonNull(requestContext, "requestContext");
        Objects.requireNonNull(accessKeys, "accessKeys");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(metricsEndpoint, "metricsEndpoint");
        Objects.requireNonNull(statusEndpoint, "statusEndpoint");
    }

    /** Generated request ids and the access log; no keys, no metrics, no status page. */
    public static ServerFeatures defaults() {
        return new ServerFeatures(RequestContextSettings.defaults(), AccessKeys.none(), HttpMetrics.NONE,
                Optional.empty(), Optional.empty());
    }

    public ServerFeatures withRequestContext(RequestContextSettings settings) {
        return new ServerFeatures(settings, accessKeys, metrics, metricsEndpoint, statusEndpoint);
    }

    public ServerFeatures withAccessKeys(AccessKeys keys) {
        return new ServerFeatures(requestContext, keys, metrics, metricsEndpoint, statusEndpoint);
    }

    /** Records in {@code recorder} and serves {@code GET /metrics} with {@code endpoint}. */
    public ServerFeatures withMetrics(HttpMetrics recorder, HttpHandler endpoint) {
        return new ServerFeatures(requestContext, accessKeys, recorder, Optional.of(endpoint), statusEndpoint);
    }

    public ServerFeatures withStatusPage(HttpHandler dataEndpoint) {
        return new ServerFeatures(requestContext, accessKeys, metrics, metricsEndpoint, Optional.of(dataEndpoint));
    }
}
