package io.minilb.application.generation;

import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.selection.PairSelection;
import io.minilb.domain.worker.LiveWorker;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes one attempt's events through, logs failed attempts (at most one line per server and kind of failure per
 * interval, see {@link FailureLog}), reports each outcome to the workers' circuit breakers and to the metrics (a
 * success with its duration), and counts the attempt out of both workers when it ends.
 */
final class TrackedObserver implements GenerationObserver {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGeneration.class);

    private final GenerationObserver delegate;
    private final Endpoint endpoint;
    private final PairSelection.Chosen workers;
    private final FailureLog failureLog;
    private final RoutingMetrics metrics;
    private final MonotonicClock clock;
    private final long sentAt;
    private final AtomicBoolean finished = new AtomicBoolean();

    TrackedObserver(GenerationObserver delegate, Endpoint endpoint, PairSelection.Chosen workers,
            FailureLog failureLog, RoutingMetrics metrics, MonotonicClock clock) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.workers = workers;
        this.failureLog = failureLog;
        this.metrics = metrics;
        this.clock = clock;
        this.sentAt = clock.nanoTime();
    }

    @Override
    public void onDispatched() {
        delegate.onDispatched();
    }

    @Override
    public void onResponse(int status, String contentType, byte[] body) {
        heard();
        // A 4xx is the client's own error, passed on from whichever leg rejected the request first: it says nothing
        // of either server. A 5xx here is the decode's own answer (a prefill's is an UPSTREAM_ERROR failure).
        if (status >= 500) {
            String url = workers.decode().url();
            failureLog.log(url + " HTTP " + status, suppressed -> LOG.warn("{} failed: decode answered HTTP {} (server {}){}",
                    endpoint.path(), status, url, FailureLog.suppressedNote(suppressed)));
            recordFailure(workers.decode());
            metrics.attemptFailed(workers.decode(), GenerationFailure.Kind.UPSTREAM_ERROR);
        } else if (status < 400) {
            recordSuccess();
        }
        try {
            delegate.onResponse(status, contentType, body);
        } finally {
            finish();
        }
    }

    @Override
    public void onStreamStart() {
        heard();
        delegate.onStreamStart();
    }

    @Override
    public void onFrame(byte[] frame) {
        heard();
        delegate.onFrame(frame);
    }

    @Override
    public void onStreamEnd() {
        heard();
        recordSuccess();
        try {
            delegate.onStreamEnd();
        } finally {
            finish();
        }
    }

    @Override
    public void onFailure(GenerationFailure failure) {
        LiveWorker<?> failed = failure.side() == Side.PREFILL ? workers.prefill() : workers.decode();
        failureLog.log(failed.url() + " " + failure.kind(), suppressed -> LOG.warn("{} failed: {} (server {}){}",
                endpoint.path(), failure.message(), failed.url(), FailureLog.suppressedNote(suppressed)));
        if (failure.kind().isWorkersFault()) {
            recordFailure(failed);
        }
        metrics.attemptFailed(failed, failure.kind());
        try {
            delegate.onFailure(failure);
        } finally {
            finish();
        }
    }

    /**
     * The decode answers only with the prefill's KV (or the prefill's own refusal): an answer shows both are alive,
     * which a health check that times out while they are busy must not overrule (see {@code HealthCheckRounds}).
     */
    private void heard() {
        long now = clock.nanoTime();
        workers.prefill().heardFrom(now);
        workers.decode().heardFrom(now);
    }

    /** The client went away: says nothing of either server. */
    void cancelled() {
        if (finish()) {
            String decode = workers.decode().url();
            failureLog.log(decode + " cancelled", suppressed -> LOG.info(
                    "{} cancelled by the client (prefill {}, decode {}){}", endpoint.path(),
                    workers.prefill().url(), decode, FailureLog.suppressedNote(suppressed)));
        }
    }

    private void recordSuccess() {
        recordSuccess(workers.prefill());
        recordSuccess(workers.decode());
        metrics.attemptSucceeded(workers.prefill(), workers.decode(), clock.nanoTime() - sentAt);
    }

    /** Transitions are rare (at most one opening per worker per breaker timeout), so they are always logged. */
    private static void recordSuccess(LiveWorker<?> worker) {
        if (worker.circuit().recordSuccess()) {
            LOG.info("{} serves again: its circuit closed", worker);
        }
    }

    private static void recordFailure(LiveWorker<?> worker) {
        if (worker.circuit().recordFailure()) {
            LOG.warn("{} gets no requests for the next {} s: its circuit opened on repeated failures", worker,
                    worker.circuit().settings().timeout().toSeconds());
        }
    }

    /** Counts the request out exactly once; true for the call that did. */
    boolean finish() {
        if (finished.compareAndSet(false, true)) {
            workers.prefill().finish();
            workers.decode().finish();
            return true;
        }
        return false;
    }
}
