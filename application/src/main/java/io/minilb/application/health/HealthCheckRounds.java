package io.minilb.application.health;

import io.minilb.application.generation.UnansweredAttempts;
import io.minilb.application.port.out.RoundScheduler;
import io.minilb.application.port.out.WorkerProbe;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final UnansweredAttempts unanswered;
    private final MonotonicClock clock;
    /** The round in progress or the last one; a tick that finds it running is skipped, so rounds never pile up. */
    private final AtomicReference<CompletableFuture<Void>> lastRound =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    /**
     * @param unanswered the attempts to abandon on a worker that turns unhealthy
     * @param clock the one requests are timed on, to tell whether a worker answered requests during a check
     */
    public HealthCheckRounds(WorkerRegistry registry, WorkerProbe probe, RoundScheduler scheduler, Duration interval,
            UnansweredAttempts unanswered, MonotonicClock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.unanswered = Objects.requireNonNull(unanswered, "unanswered");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        long startedAt = clock.nanoTime();
        var answered = new AtomicBoolean();
        var unansweredChecks = new ConcurrentLinkedQueue<Map.Entry<LiveWorker<?>, ProbeResult>>();
        CompletableFuture.allOf(registry.snapshot().stream()
                        .filter(worker -> !worker.isDraining())
                        .map(worker -> check(worker, answered, unansweredChecks))
                        .toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> {
                    try {
                        unansweredChecks.forEach(check -> record(check.getKey(), check.getValue(),
                                answered.get() && !check.getKey().heardFromSince(startedAt)));
                    } finally {
                        round.complete(null);
                    }
                });
        return round;
    }

    /** Records an answered check as it comes; one without an answer waits for the round's end. */
    private CompletableFuture<Void> check(LiveWorker<?> worker, AtomicBoolean answered,
            Queue<Map.Entry<LiveWorker<?>, ProbeResult>> unansweredChecks) {
        return probe.check(worker.worker())
                .exceptionally(error -> ProbeResult.failed("the check failed: " + error))
                .thenAccept(result -> {
                    if (result.outcome() == ProbeResult.Outcome.UNANSWERED) {
                        unansweredChecks.add(Map.entry(worker, result));
                    } else {
                        answered.set(true);
                        record(worker, result, true);
                    }
                });
    }

    /**
     * A check without an answer takes its worker out at once when it looks blackholed: another worker answered in
     * the same round (else mini-lb itself, a long pause or a starved CPU, or its network may be what was slow) and
     * nothing arrived from the worker for a request since the round began (else it is busy, not gone). Otherwise the
     * failure threshold applies, as to any failed check.
     */
    private void record(LiveWorker<?> worker, ProbeResult result, boolean looksBlackholed) {
        boolean changed = result.outcome() == ProbeResult.Outcome.UNANSWERED && looksBlackholed
                ? worker.health().recordUnansweredCheck()
                : worker.health().recordActiveCheck(result.passed());
        if (!changed) {
            return;
        }
        if (result.passed()) {
            LOG.info("{} is healthy again: its health checks pass", worker);
            return;
        }
        int abandoned = unanswered.abandonOn(worker);
        LOG.warn("{} is unhealthy and gets no new requests: {}{}", worker, result.problem(), abandoned == 0 ? ""
                : "; " + abandoned + " request(s) waiting on it go to other servers");
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
