package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.minilb.adapters.in.http.HttpServerSettings;
import io.minilb.adapters.in.http.MiniLbHttpServer;
import io.minilb.adapters.in.http.RequestContextSettings;
import io.minilb.adapters.in.http.ServerFeatures;
import io.minilb.adapters.in.http.metrics.PrometheusMetrics;
import io.minilb.adapters.out.http.BackendClientSettings;
import io.minilb.adapters.out.http.BackendConnections;
import io.minilb.adapters.out.http.BackendHttpClients;
import io.minilb.adapters.out.http.HttpClientInferenceBackend;
import io.minilb.adapters.out.http.HttpClientWorkerAdminClient;
import io.minilb.adapters.out.http.HttpClientWorkerProbe;
import io.minilb.adapters.out.http.OutboundHeaders;
import io.minilb.adapters.out.http.ResponseLimits;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.application.admission.AdmissionStats;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.application.port.out.WorkerProbe;
import io.minilb.bootstrap.config.Limits;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.Observability;
import io.minilb.domain.worker.WorkerRegistry;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;

/** Undertow in front, one pooled HttpClient 5 behind. */
public final class HttpAdaptersModule extends AbstractModule {

    @Provides
    @Singleton
    PoolingAsyncClientConnectionManager backendConnectionPool(MiniLbConfig config) {
        return BackendHttpClients.pool(BackendClientSettings.forClientConnections(config.limits().maxConnections()));
    }

    @Provides
    @Singleton
    CloseableHttpAsyncClient backendHttpClient(MiniLbConfig config, PoolingAsyncClientConnectionManager pool) {
        return BackendHttpClients.start(
                BackendClientSettings.forClientConnections(config.limits().maxConnections()), pool);
    }

    /** Reads the workers and the backend pool when scraped (admission control too, see {@link #httpServer}). */
    @Provides
    @Singleton
    PrometheusMetrics metrics(WorkerRegistry workers, PoolingAsyncClientConnectionManager pool) {
        var metrics = new PrometheusMetrics(workers);
        var connections = new BackendConnections(pool);
        metrics.backendConnections(connections::leased, connections::idle);
        return metrics;
    }

    @Provides
    @Singleton
    RoutingMetrics routingMetrics(PrometheusMetrics metrics) {
        return metrics.routing();
    }

    /** The worker key, when there is one, on every call to the servers. */
    @Provides
    @Singleton
    OutboundHeaders outboundHeaders(MiniLbConfig config) {
        try {
            return config.observability().workerApiKey().map(OutboundHeaders::withWorkerApiKey)
                    .orElse(OutboundHeaders.none());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("--worker-api-key: " + e.getMessage());
        }
    }

    @Provides
    @Singleton
    InferenceBackend inferenceBackend(CloseableHttpAsyncClient client, MiniLbConfig config, MemoryBudget budget,
            OutboundHeaders headers) {
        return new HttpClientInferenceBackend(client, new ResponseLimits((int) config.limits().maxResponseBytes()), budget,
                headers);
    }

    @Provides
    @Singleton
    WorkerAdminClient workerAdminClient(CloseableHttpAsyncClient client, MiniLbConfig config, OutboundHeaders headers) {
        return new HttpClientWorkerAdminClient(client, config.timeouts().admin(), headers);
    }

    @Provides
    @Singleton
    WorkerProbe workerProbe(CloseableHttpAsyncClient client, MiniLbConfig config, OutboundHeaders headers) {
        HealthCheckSettings checks = config.resilience().healthChecks();
        return new HttpClientWorkerProbe(client, checks.timeout(), checks.endpoint(), headers);
    }

    @Provides
    @Singleton
    RequestContextSettings requestContextSettings(MiniLbConfig config) {
        Observability observability = config.observability();
        try {
            return new RequestContextSettings(observability.requestIdHeaders(), observability.forwardHeaders(),
                    observability.accessLog());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    @Provides
    @Singleton
    MiniLbHttpServer httpServer(RouteGenerationUseCase routing, ClusterAdminUseCase admin,
            ManageWorkersUseCase workers, ServingState state, MiniLbConfig config, MemoryBudget budget,
            RequestContextSettings requestContext, PrometheusMetrics metrics, AdmissionStats admission) {
        // Here, not where the metrics are made: admission control reports to the routing metrics, so reading it
        // there would be a circular dependency.
        metrics.admission(admission::queued, admission::active);
        Limits limits = config.limits();
        return new MiniLbHttpServer(routing, admin, workers, state, new HttpServerSettings(config.host(), config.port(),
                limits.maxPayloadBytes(), config.timeouts().requestRead(), limits.maxConnections(),
                limits.streamBufferBytes()), budget, ServerFeatures.defaults()
                        .withRequestContext(requestContext)
                        .withAccessKeys(config.accessKeys())
                        .withMetrics(metrics.http(), metrics.endpoint())
                        .withStatusPage(metrics.statusEndpoint()));
    }
}
