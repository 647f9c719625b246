package io.minilb.adapters.in.http.metrics;

import io.minilb.adapters.in.http.HttpMetrics;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.domain.worker.WorkerRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpHandler;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * mini-lb's metrics in the Prometheus format: what the HTTP front and routing record, the workers' state read from
 * the registry when scraped, backend connections, and the JVM's. Each instance has a registry of its own, so that
 * several mini-lbs in one JVM (tests, embedding) do not mix their series. Names are listed in the README.
 */
public final class PrometheusMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusHttpMetrics http;
    private final PrometheusRoutingMetrics routing;
    private final HttpHandler endpoint;
    private final HttpHandler status;

    public PrometheusMetrics(WorkerRegistry workers) {
        Objects.requireNonNull(workers, "workers");
        this.http = new PrometheusHttpMetrics(registry);
        this.routing = new PrometheusRoutingMetrics(registry, workers);
        WorkerGauges.register(registry, workers);
        registry.register(JvmCollector.INSTANCE);
        this.endpoint = new ScrapeEndpoint(registry);
        this.status = new StatusEndpoint(http, routing);
    }

    /** For the HTTP front ({@code MiniLbHttpServer}). */
    public HttpMetrics http() {
        return http;
    }

    /** For the routing use case. */
    public RoutingMetrics routing() {
        return routing;
    }

    /** Serves {@code GET /metrics}: the text format, or another one the scraper's {@code Accept} asks for. */
    public HttpHandler endpoint() {
        return endpoint;
    }

    /** Serves {@code GET /status.json}: the workers and the counts the status page polls. */
    public HttpHandler statusEndpoint() {
        return status;
    }

    /** Where to read the backend connections from when scraped; call once. */
    public void backendConnections(IntSupplier leased, IntSupplier idle) {
        GaugeWithCallback.builder()
                .name(MetricNames.BACKEND_CONNECTIONS)
                .help("Connections to servers open now, by state: leased (carrying a request) or idle (pooled)")
                .labelNames("state")
                .callback(callback -> {
                    callback.call(leased.getAsInt(), "leased");
                    callback.call(idle.getAsInt(), "idle");
                })
                .register(registry);
    }

    /** Where to read admission control's queue and admitted requests from when scraped; call once. */
    public void admission(IntSupplier queued, IntSupplier admitted) {
        GaugeWithCallback.builder()
                .name(MetricNames.ADMISSION_REQUESTS)
                .help("Generations in admission control now: queued (waiting for a slot) or active (admitted)")
                .labelNames("state")
                .callback(callback -> {
                    callback.call(queued.getAsInt(), "queued");
                    callback.call(admitted.getAsInt(), "active");
                })
                .register(registry);
    }

    PrometheusRegistry registry() {
        return registry;
    }
}
