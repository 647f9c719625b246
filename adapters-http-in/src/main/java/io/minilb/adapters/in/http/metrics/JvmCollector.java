package io.minilb.adapters.in.http.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The JVM's metrics (memory, GC, threads, ...), registered once per process in a registry of their own and shown in
 * every mini-lb's: {@link JvmMetrics} remembers each registry it was registered with for the life of the process,
 * which would keep every stopped mini-lb's registry, and what it refers to, reachable. They are registered on the
 * first scrape rather than with mini-lb: registering them loads and initializes a few hundred classes, about 80 ms of
 * startup, for a scrape that comes seconds later, if at all.
 */
final class JvmCollector implements MultiCollector {

    static final JvmCollector INSTANCE = new JvmCollector();

    private PrometheusRegistry jvm;

    private JvmCollector() {
    }

    @Override
    public MetricSnapshots collect() {
        return jvm().scrape();
    }

    private synchronized PrometheusRegistry jvm() {
        if (jvm == null) {
            var registered = new PrometheusRegistry();
            JvmMetrics.builder().register(registered);
            jvm = registered;
        }
        return jvm;
    }
}
