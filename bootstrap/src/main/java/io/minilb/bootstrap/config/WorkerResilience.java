package io.minilb.bootstrap.config;

import io.minilb.application.health.HealthCheckSettings;
import io.minilb.domain.retry.RetrySettings;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import java.time.Duration;
import java.util.Objects;

/**
 * How mini-lb decides that a worker is failing and when it takes it back. SGLang's router names these
 * {@code --cb-*} and {@code --health-*-threshold}; where our defaults differ, it is because a PD pair fails
 * differently from a single server: a dead prefill or decode fails every request it gets, at once (refused
 * connection) or after a timeout, and each failed request is a client's error.
 *
 * @param circuitBreaker passive detection, from the outcome of each request
 * @param health how many active checks in a row change a worker's health
 * @param healthChecks active detection: whether, how often and how workers are checked
 * @param retry when a request that failed before its first byte is tried again on another pair
 */
public record WorkerResilience(CircuitBreakerSettings circuitBreaker, HealthThresholds health,
        HealthCheckSettings healthChecks, RetrySettings retry) {

    /**
     * 3 failures in a row (SGLang's router: 10) open a circuit: a dead worker then fails 3 requests, not 10, and a
     * healthy one rarely fails 3 in a row with no success between (a success clears the count).
     */
    public static final int DEFAULT_CB_FAILURE_THRESHOLD = 3;
    /**
     * 2 successes in a row (SGLang's router: 3) close a half-open circuit, which admits as many trials at a time:
     * enough not to close on one lucky request, few enough that a still-broken worker holds only 2 requests.
     */
    public static final int DEFAULT_CB_SUCCESS_THRESHOLD = 2;
    /**
     * 10 s (SGLang's router: 60 s) before an open circuit admits trials: until active health checks exist the trials
     * are how a restarted worker gets traffic back, and against a still-dead worker they cost 2 requests per 10 s.
     */
    public static final Duration DEFAULT_CB_TIMEOUT = Duration.ofSeconds(10);
    /** 120 s, as SGLang's router: long enough that a dead worker with little traffic still reaches the threshold. */
    public static final Duration DEFAULT_CB_WINDOW = Duration.ofSeconds(120);
    /** SGLang's router's {@code --health-failure-threshold} 3 and {@code --health-success-threshold} 2. */
    public static final HealthThresholds DEFAULT_HEALTH = new HealthThresholds(3, 2);

    /**
     * 3 attempts in all (SGLang's router: 5, which it also counts with the first included): with the failed worker
     * avoided, the second attempt already lands on another prefill and decode; a third covers a second failure
     * (a dead prefill and a dead decode at once). More would only multiply the load a sick cluster gets.
     */
    public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 3;
    /** 50 ms, as SGLang's router: a refused connection is known at once, and another pair is ready at once. */
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(50);
    /**
     * 1 s (SGLang's router: 30 s): a retry only helps while the client still waits, and a failure that lasts longer
     * is the circuit breaker's to handle; it also keeps the backoffs far below the request timeout.
     */
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(1);
    /** 1.5, as SGLang's router. */
    public static final double DEFAULT_RETRY_BACKOFF_MULTIPLIER = 1.5;
    /** 0.2, as SGLang's router: each wait is moved by up to 20% either way. */
    public static final double DEFAULT_RETRY_JITTER_FACTOR = 0.2;

    public WorkerResilience {
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(healthChecks, "healthChecks");
        Objects.requireNonNull(retry, "retry");
    }

    public static WorkerResilience defaults() {
        return new WorkerResilience(new CircuitBreakerSettings(true, DEFAULT_CB_FAILURE_THRESHOLD,
                DEFAULT_CB_SUCCESS_THRESHOLD, DEFAULT_CB_TIMEOUT, DEFAULT_CB_WINDOW), DEFAULT_HEALTH,
                HealthCheckSettings.defaults(),
                new RetrySettings(true, DEFAULT_RETRY_MAX_ATTEMPTS, DEFAULT_RETRY_INITIAL_BACKOFF,
                        DEFAULT_RETRY_MAX_BACKOFF, DEFAULT_RETRY_BACKOFF_MULTIPLIER, DEFAULT_RETRY_JITTER_FACTOR));
    }

    public WorkerResilience withCircuitBreaker(CircuitBreakerSettings settings) {
        return new WorkerResilience(settings, health, healthChecks, retry);
    }

    public WorkerResilience withHealth(HealthThresholds thresholds, HealthCheckSettings checks) {
        return new WorkerResilience(circuitBreaker, thresholds, checks, retry);
    }

    public WorkerResilience withRetry(RetrySettings settings) {
        return new WorkerResilience(circuitBreaker, health, healthChecks, settings);
    }

    /**
     * SGLang router's {@code --disable-health-check}: workers are never checked; only their circuit breakers take
     * them out of rotation.
     */
    public WorkerResilience withHealthChecksDisabled() {
        return withHealth(health, healthChecks.disabled());
    }

    /** SGLang router's {@code --disable-retries}: each request gets one attempt. */
    public WorkerResilience withRetriesDisabled() {
        return withRetry(retry.disabled());
    }

    /** SGLang router's {@code --disable-circuit-breaker}: every failure reaches the client, none takes a worker out. */
    public WorkerResilience withCircuitBreakerDisabled() {
        return withCircuitBreaker(circuitBreaker.disabled());
    }
}
