package io.minilb.domain.worker;

import io.minilb.domain.MonotonicClock;
import java.util.Objects;

/**
 * Passive failure detection for one worker: closed → open when {@code failureThreshold} failures happened within
 * {@code window} with no success between them; open → half-open once {@code timeout} has passed (checked when the
 * state is read); half-open → closed after {@code successThreshold} successes in a row, back to open on a failure.
 * Half-open admits trials only while fewer than {@code successThreshold} requests are in flight on the worker (SGLang's
 * router admits every request): a worker that accepts connections and never answers then holds a few trials until
 * they time out, not its whole share of the traffic. Outcomes reported while open come from requests admitted before
 * it opened and are ignored. Thread-safe.
 */
public final class CircuitBreaker {

    private final CircuitBreakerSettings settings;
    private final MonotonicClock clock;
    /** The times of the latest failures since the last success, a ring of {@code failureThreshold} slots. */
    private final long[] failureTimes;
    private int failures;
    private int nextFailureSlot;
    private int halfOpenSuccesses;
    private long openedAt;
    /** Volatile so that the hot path reads a closed circuit without taking the lock. */
    private volatile CircuitState state = CircuitState.CLOSED;

    public CircuitBreaker(CircuitBreakerSettings settings, MonotonicClock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failureTimes = new long[settings.failureThreshold()];
    }

    public CircuitBreakerSettings settings() {
        return settings;
    }

    /** The current state; an open circuit whose timeout has passed turns half-open here. */
    public CircuitState state() {
        CircuitState current = state;
        if (current != CircuitState.OPEN) {
            return current;
        }
        synchronized (this) {
            if (state == CircuitState.OPEN && clock.nanoTime() - openedAt >= settings.timeout().toNanos()) {
                state = CircuitState.HALF_OPEN;
                halfOpenSuccesses = 0;
            }
            return state;
        }
    }

    /**
     * Whether the worker may get one more request: always while closed, never while open, and while half-open only
     * when fewer than {@code successThreshold} requests are in flight on it.
     */
    public boolean allowsRequests(int inFlight) {
        return switch (state()) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> inFlight < settings.successThreshold();
        };
    }

    /** Records a request the worker served; true when it closed a half-open circuit. */
    public synchronized boolean recordSuccess() {
        if (!settings.enabled()) {
            return false;
        }
        switch (state()) {
            case CLOSED -> failures = 0;
            case HALF_OPEN -> {
                if (++halfOpenSuccesses >= settings.successThreshold()) {
                    state = CircuitState.CLOSED;
                    failures = 0;
                    return true;
                }
            }
            case OPEN -> { }
        }
        return false;
    }

    /** Records a request the worker failed; true when this failure opened the circuit. */
    public synchronized boolean recordFailure() {
        if (!settings.enabled()) {
            return false;
        }
        long now = clock.nanoTime();
        switch (state()) {
            case CLOSED -> {
                failureTimes[nextFailureSlot] = now;
                nextFailureSlot = (nextFailureSlot + 1) % failureTimes.length;
                failures = Math.min(failures + 1, failureTimes.length);
                // The slot written next holds the oldest of the last failureThreshold failures.
                if (failures == failureTimes.length
                        && now - failureTimes[nextFailureSlot] <= settings.window().toNanos()) {
                    open(now);
                    return true;
                }
            }
            case HALF_OPEN -> {
                open(now);
                return true;
            }
            case OPEN -> { }
        }
        return false;
    }

    private void open(long now) {
        state = CircuitState.OPEN;
        openedAt = now;
        failures = 0;
    }
}
