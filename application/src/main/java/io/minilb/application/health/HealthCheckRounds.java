package io.minilb.application.health;

import io.minilb.application.port.out.RoundScheduler;
import io.minilb.application.port.out.WorkerProbe;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every registered worker once per interval and records each result in its health. The first round runs at
 * {@link #start}, so a worker that fails it is out before traffic arrives. A round only starts the probes (which
 * never block) and records their results as they come, on whatever thread completes them: nothing here waits.
 * Each change of a worker's health is logged once, with the reason.
 */
public final class HealthCheckRounds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheckRounds.class);

    private final WorkerRegistry registry;
    private final WorkerProbe probe;
    private final RoundScheduler scheduler;
    private final Duration interval;
    /** The round in progress or the last one; a tick that finds it running is skipped, so rounds never pile up. */
    private final AtomicReference<CompletableFuture<Void>> lastRound =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    public HealthCheckRounds(WorkerRegistry registry, WorkerProbe probe, RoundScheduler scheduler, Duration interval) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Runs the first round now and schedules the others; the future completes when the first round has ended. */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> first = runRound();
        scheduler.repeat(this::runRound, interval);
        return first;
    }

    /**
     * Checks every worker not draining, unless the previous round is still running (its probes time out after the
     * check timeout, which may exceed the interval): then this one is skipped and that one's future returned.
     */
    CompletableFuture<Void> runRound() {
        var round = new CompletableFuture<Void>();
        CompletableFuture<Void> previous = lastRound.getAndUpdate(last -> last.isDone() ? round : last);
        if (!previous.isDone()) {
            LOG.debug("health check round skipped: the previous one is still running");
            return previous;
        }
        CompletableFuture.allOf(registry.snapshot().stream()
                        .filter(worker -> !worker.isDraining())
                        .map(this::check)
                        .toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> round.complete(null));
        return round;
    }

    private CompletableFuture<Void> check(LiveWorker<?> worker) {
        return probe.check(worker.worker())
                .exceptionally(error -> ProbeResult.failed("the check failed: " + error))
                .thenAccept(result -> record(worker, result));
    }

    private static void record(LiveWorker<?> worker, ProbeResult result) {
        if (!worker.health().recordActiveCheck(result.passed())) {
            return;
        }
        if (result.passed()) {
            LOG.info("{} is healthy again: its health checks pass", worker);
        } else {
            LOG.warn("{} is unhealthy and gets no new requests: {}", worker, result.problem());
        }
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
