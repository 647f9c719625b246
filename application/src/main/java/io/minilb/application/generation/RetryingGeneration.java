package io.minilb.application.generation;

import io.minilb.application.port.out.DelayScheduler;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.domain.retry.Deadline;
import io.minilb.domain.selection.PairSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request over its attempts. An attempt that fails before the client got anything (a whole answer
 * commits when it is passed on, a stream at its first frame) in a way another server might not (see
 * {@link RetryRule}) is dropped, and after a backoff a new attempt goes to another pair, with new rooms, within what
 * is left of the request's time. Never after the client cancelled. Each attempt's outcome still reaches the workers'
 * circuit breakers (its {@link TrackedObserver}); the request counts out of mini-lb once, when the client has its
 * answer or went away. A request that took more than one attempt is logged in one line with all of them.
 */
final class RetryingGeneration implements GenerationCall {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGeneration.class);

    /** Starts one attempt; see {@code RouteGeneration.attempt}. */
    @FunctionalInterface
    interface Attempts {
        GenerationCall start(GenerationRequest request, RouteGeneration.AttemptObserver observer, Duration timeout,
                Set<String> avoid);
    }

    private final GenerationRequest request;
    private final GenerationObserver client;
    private final Attempts attempts;
    private final Deadline deadline;
    private final Retries retries;
    private final Runnable onEnd;
    private final FailureLog failureLog;
    private final RoutingMetrics metrics;

    // Guarded by this.
    private final Set<String> avoid = new HashSet<>();
    /** One entry per failed attempt that was retried: at most the settings' attempts. */
    private final List<String> retriedAttempts = new ArrayList<>();
    private int started;
    private GenerationCall current;
    private DelayScheduler.Scheduled pending;
    private GenerationFailure lastFailure;
    private boolean cancelled;
    private boolean ended;

    RetryingGeneration(GenerationRequest request, GenerationObserver client, Attempts attempts, Deadline deadline,
            Retries retries, Runnable onEnd, FailureLog failureLog, RoutingMetrics metrics) {
        this.request = request;
        this.client = client;
        this.attempts = attempts;
        this.deadline = deadline;
        this.retries = retries;
        this.onEnd = onEnd;
        this.failureLog = failureLog;
        this.metrics = metrics;
    }

    /** Starts the first attempt on the caller's thread; what the backend throws then reaches the caller. */
    void start() {
        try {
            startAttempt();
        } catch (RuntimeException e) {
            end("not sent: " + e);
            throw e;
        }
    }

    @Override
    public void cancel() {
        RequestLogging.run(request.context(), this::cancelAttempts);
    }

    private void cancelAttempts() {
        GenerationCall call;
        DelayScheduler.Scheduled waiting;
        synchronized (this) {
            cancelled = true;
            call = current;
            waiting = pending;
            pending = null;
        }
        if (waiting != null) {
            waiting.cancel();
        }
        if (call != null) {
            call.cancel();
        }
        end("cancelled by the client");
    }

    @Override
    public void pause() {
        GenerationCall call = currentCall();
        if (call != null) {
            call.pause();
        }
    }

    @Override
    public void resume() {
        GenerationCall call = currentCall();
        if (call != null) {
            call.resume();
        }
    }

    private synchronized GenerationCall currentCall() {
        return current;
    }

    private void startAttempt() {
        Duration timeout = deadline.remaining();
        if (timeout.isNegative() || timeout.isZero()) {
            // Only when the backoff's timer ran late: the wait was allowed because it left time.
            GenerationFailure last = lastFailure();
            deliverFailure(new GenerationFailure(last.side(), GenerationFailure.Kind.TIMEOUT, last.side().label()
                    + ": no answer within the request timeout; attempts made: " + attemptsMade()));
            return;
        }
        Attempt attempt;
        synchronized (this) {
            if (cancelled || ended) {
                return;
            }
            pending = null;
            started++;
            attempt = new Attempt(started);
        }
        GenerationCall call = attempts.start(request, attempt, timeout, copyOfAvoid());
        boolean cancelNow;
        synchronized (this) {
            cancelNow = cancelled;
            if (attempt.number == started) {
                current = call;
            }
        }
        if (cancelNow) {
            call.cancel();
        }
    }

    /** A later attempt runs on the scheduler's thread: whatever happens there, the client gets an answer. */
    private void startLaterAttempt() {
        RequestLogging.run(request.context(), () -> {
            try {
                startAttempt();
            } catch (RuntimeException e) {
                LOG.warn("{}: a retry could not be sent", request.endpoint().path(), e);
                deliverFailure(lastFailure());
            }
        });
    }

    private synchronized Set<String> copyOfAvoid() {
        return Set.copyOf(avoid);
    }

    private synchronized int attemptsMade() {
        return started;
    }

    private synchronized GenerationFailure lastFailure() {
        return lastFailure;
    }

    /**
     * Schedules another attempt after {@code failed}'s, unless the client cancelled, the attempts are spent, or the
     * backoff would leave no time; true when it did.
     */
    private boolean retryAfter(Attempt failed, GenerationFailure failure, Set<String> failedWorkers) {
        synchronized (this) {
            if (cancelled || ended || failed.number != started
                    || !retries.settings().allowsAnotherAfter(started)) {
                return false;
            }
            Duration wait = retries.settings().backoffBefore(started - 1, retries.random());
            if (!deadline.leavesTimeAfter(wait)) {
                return false;
            }
            avoid.addAll(failedWorkers);
            lastFailure = failure;
            retriedAttempts.add(failed.number + ": " + failed.pair + " " + failure.kind().type()
                    + " (" + failure.message() + ")");
            pending = retries.scheduler().schedule(wait, this::startLaterAttempt);
        }
        metrics.retried(failure.kind());
        return true;
    }

    private void deliverFailure(GenerationFailure failure) {
        try {
            client.onFailure(failure);
        } finally {
            end("failed: " + failure.kind().type());
        }
    }

    /** Counts the request out once, and logs it when it took more than one attempt. */
    private void end(String outcome) {
        int attemptsMade;
        String history;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            attemptsMade = started;
            history = String.join("; ", retriedAttempts);
        }
        onEnd.run();
        if (attemptsMade > 1) {
            failureLog.log("retried " + request.endpoint(), suppressed -> LOG.warn(
                    "{} {} after {} attempts; retried: {}{}", request.endpoint().path(), outcome, attemptsMade,
                    history, FailureLog.suppressedNote(suppressed)));
        }
    }

    /** One attempt's events: passed on to the client, or, for a failure worth retrying before any byte, not. */
    private final class Attempt implements RouteGeneration.AttemptObserver {

        private final int number;
        /** Set before any event that may be retried: a refusal, sent before a pair was chosen, never is. */
        private PairSelection.Chosen chosen;
        private String pair;
        /** Only read and written by the backend's events for this attempt, which come one at a time. */
        private boolean committed;

        Attempt(int number) {
            this.number = number;
        }

        @Override
        public void pairChosen(PairSelection.Chosen pair) {
            this.chosen = pair;
            this.pair = "prefill " + pair.prefill().url() + ", decode " + pair.decode().url();
            client.onRouted(pair.prefill().url(), pair.decode().url(), number);
        }

        @Override
        public void onDispatched() {
            client.onDispatched();
        }

        @Override
        public void onResponse(int status, String contentType, byte[] body) {
            // Either leg's answer (a prefill's 429 among them): which one is not known here, so both are avoided.
            if (RetryRule.retries(status) && retryAfter(this, new GenerationFailure(Side.DECODE,
                    GenerationFailure.Kind.UPSTREAM_ERROR, "answered HTTP " + status), bothWorkers())) {
                return;
            }
            try {
                client.onResponse(status, contentType, body);
            } finally {
                end("answered HTTP " + status);
            }
        }

        @Override
        public void onStreamStart() {
            committed = true;
            client.onStreamStart();
        }

        @Override
        public void onFrame(byte[] frame) {
            committed = true;
            client.onFrame(frame);
        }

        @Override
        public void onStreamEnd() {
            try {
                client.onStreamEnd();
            } finally {
                end("streamed");
            }
        }

        @Override
        public void onFailure(GenerationFailure failure) {
            if (!committed && RetryRule.retries(failure) && retryAfter(this, failure, failedWorker(failure))) {
                return;
            }
            deliverFailure(failure);
        }

        private Set<String> bothWorkers() {
            return Set.of(chosen.prefill().id(), chosen.decode().id());
        }

        private Set<String> failedWorker(GenerationFailure failure) {
            return Set.of(failure.side() == Side.PREFILL ? chosen.prefill().id() : chosen.decode().id());
        }
    }
}
