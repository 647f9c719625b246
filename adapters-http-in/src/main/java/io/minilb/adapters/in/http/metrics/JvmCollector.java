package io.minilb.adapters.in.http.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The JVM's metrics (memory, GC, threads, ...), registered once per process in a registry of their own and shown in
 * every mini-lb's: {@link JvmMetrics} remembers each registry it was registered with for the life of the process,
 * which would keep every stopped mini-lb's registry, and what it refers to, reachable.
 */
final class JvmCollector implements MultiCollector {

    static final JvmCollector INSTANCE = new JvmCollector();

    private final PrometheusRegistry jvm = new PrometheusRegistry();

    private JvmCollector() {
        JvmMetrics.builder().register(jvm);
    }

    @Override
    public MetricSnapshots collect() {
        return jvm.scrape();
    }
}
