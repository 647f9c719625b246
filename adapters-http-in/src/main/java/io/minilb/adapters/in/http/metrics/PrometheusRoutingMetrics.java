package io.minilb.adapters.in.http.metrics;

import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRegistry;
import io.minilb.domain.worker.WorkerRole;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Routing's counts. Per worker they are kept here, by worker, and exported for the workers registered when scraped:
 * a removed worker's series disappear with it, and one added again under the same URL starts from zero (a counter
 * reset, which Prometheus' {@code rate} handles).
 */
final class PrometheusRoutingMetrics implements RoutingMetrics {

    private static final GenerationFailure.Kind[] KINDS = GenerationFailure.Kind.values();

    private final WorkerRegistry workers;
    /** By identity: a worker removed and added again is a new {@link LiveWorker}. */
    private final Map<LiveWorker<?>, WorkerCounts> counts = new ConcurrentHashMap<>();
    private final Counter retries;
    private final Map<WorkerRole, CounterDataPoint> refused = new EnumMap<>(WorkerRole.class);

    PrometheusRoutingMetrics(PrometheusRegistry registry, WorkerRegistry workers) {
        this.workers = workers;
        CounterWithCallback.builder().name(MetricNames.WORKER_REQUESTS)
                .help("Attempts sent to each worker (a retried request counts once per attempt)")
                .labelNames("worker", "role")
                .callback(callback -> forEachRegistered((worker, count) ->
                        callback.call(count.attempts.sum(), worker.url(), worker.role().label())))
                .register(registry);
        CounterWithCallback.builder().name(MetricNames.WORKER_FAILURES)
                .help("Attempts that failed on each worker, by kind of failure")
                .labelNames("worker", "role", "kind")
                .callback(callback -> forEachRegistered((worker, count) -> {
                    for (GenerationFailure.Kind kind : KINDS) {
                        long failed = count.failures[kind.ordinal()].sum();
                        if (failed > 0) {
                            callback.call(failed, worker.url(), worker.role().label(), kind.type());
                        }
                    }
                }))
                .register(registry);
        SummaryWithCallback.builder().name(MetricNames.WORKER_REQUEST_DURATION).unit(Unit.SECONDS)
                .help("Successful attempts on each worker and their duration, from sending to the end of the answer "
                        + "(the pair's time: the prefill's and the decode's together)")
                .labelNames("worker", "role")
                .callback(callback -> forEachRegistered((worker, count) -> callback.call(count.succeeded.sum(),
                        Unit.nanosToSeconds(count.succeededNanos.sum()), Quantiles.EMPTY, worker.url(),
                        worker.role().label())))
                .register(registry);
        retries = Counter.builder().name(MetricNames.RETRIES)
                .help("Failed attempts tried again on another pair, by the kind of failure that caused the retry")
                .labelNames("cause").register(registry);
        Counter noWorker = Counter.builder().name(MetricNames.NO_AVAILABLE_WORKER)
                .help("Attempts refused at once because no worker of a role was available")
                .labelNames("role").register(registry);
        for (WorkerRole role : WorkerRole.values()) {
            refused.put(role, noWorker.labelValues(role.label()));
        }
    }

    @Override
    public void attemptSent(LiveWorker<?> prefill, LiveWorker<?> decode) {
        countsOf(prefill).attempts.increment();
        countsOf(decode).attempts.increment();
    }

    @Override
    public void attemptFailed(LiveWorker<?> worker, GenerationFailure.Kind kind) {
        countsOf(worker).failures[kind.ordinal()].increment();
    }

    @Override
    public void attemptSucceeded(LiveWorker<?> prefill, LiveWorker<?> decode, long nanos) {
        countsOf(prefill).succeeded(nanos);
        countsOf(decode).succeeded(nanos);
    }

    /** The registered workers' counts so far; zeros for one that has had no attempt yet. */
    void forEachWorker(BiConsumer<LiveWorker<?>, WorkerCounts> visit) {
        for (LiveWorker<?> worker : workers.snapshot()) {
            visit.accept(worker, counts.getOrDefault(worker, WorkerCounts.NONE));
        }
    }

    @Override
    public void retried(GenerationFailure.Kind cause) {
        retries.labelValues(cause.type()).inc();
    }

    @Override
    public void refused(WorkerRole role) {
        refused.get(role).inc();
    }

    private WorkerCounts countsOf(LiveWorker<?> worker) {
        return counts.computeIfAbsent(worker, added -> new WorkerCounts());
    }

    /** Visits the registered workers' counts, and forgets those of workers no longer registered. */
    private void forEachRegistered(BiConsumer<LiveWorker<?>, WorkerCounts> visit) {
        var registered = workers.snapshot();
        counts.keySet().removeIf(worker -> registered.stream().noneMatch(live -> live == worker));
        for (LiveWorker<?> worker : registered) {
            WorkerCounts count = counts.get(worker);
            if (count != null) {
                visit.accept(worker, count);
            }
        }
    }

    static final class WorkerCounts {
        /** Read only: what a worker without attempts shows. */
        static final WorkerCounts NONE = new WorkerCounts();

        final LongAdder attempts = new LongAdder();
        final LongAdder[] failures = new LongAdder[KINDS.length];
        final LongAdder succeeded = new LongAdder();
        final LongAdder succeededNanos = new LongAdder();

        WorkerCounts() {
            for (int i = 0; i < failures.length; i++) {
                failures[i] = new LongAdder();
            }
        }

        void succeeded(long nanos) {
            succeeded.increment();
            succeededNanos.add(nanos);
        }

        long failed() {
            long failed = 0;
            for (LongAdder kind : failures) {
                failed += kind.sum();
            }
            return failed;
        }
    }
}
