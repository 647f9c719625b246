package io.minilb.adapters.in.http.metrics;

import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Each registered worker's state, read from the registry when scraped: nothing is recorded on the request path, and
 * workers that come and go bring and take their series with them. Labels are the configured URL and the role.
 */
final class WorkerGauges {

    private WorkerGauges() {
    }

    static void register(PrometheusRegistry registry, WorkerRegistry workers) {
        gauge(registry, workers, MetricNames.WORKER_REQUESTS_ACTIVE, "Requests in flight on each worker",
                LiveWorker::inFlight);
        gauge(registry, workers, MetricNames.WORKER_HEALTH, "Each worker's health: 1 healthy, 0 unhealthy",
                worker -> worker.health().isHealthy() ? 1 : 0);
        gauge(registry, workers, MetricNames.WORKER_CB_STATE,
                "Each worker's circuit breaker: 0 closed, 1 open, 2 half-open (as SGLang's router)",
                worker -> worker.circuit().state().ordinal());
    }

    private static void gauge(PrometheusRegistry registry, WorkerRegistry workers, String name, String help,
            ToDoubleFunction<LiveWorker<?>> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("worker", "role")
                .callback(callback -> {
                    for (LiveWorker<?> worker : workers.snapshot()) {
                        callback.call(value.applyAsDouble(worker), worker.url(), worker.role().label());
                    }
                })
                .register(registry);
    }
}
