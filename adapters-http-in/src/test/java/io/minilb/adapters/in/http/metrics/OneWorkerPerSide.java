package io.minilb.adapters.in.http.metrics;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;

/** A prefill and a decode in a registry (two failures open a circuit), and the metrics that read them. */
abstract class OneWorkerPerSide {

    static final long MILLIS = 1_000_000;

    final WorkerRegistry registry = new WorkerRegistry(
            new CircuitBreakerSettings(true, 2, 1, Duration.ofMinutes(5), Duration.ofMinutes(5)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM);
    final LiveWorker<PrefillWorker> prefill =
            registry.addPrefill(PrefillWorker.of("http://prefill-1:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    final LiveWorker<DecodeWorker> decode =
            registry.addDecode(new DecodeWorker("http://decode-1:30001"), WorkerOrigin.CONFIGURATION, true);
    final PrometheusMetrics metrics = new PrometheusMetrics(registry);
}
