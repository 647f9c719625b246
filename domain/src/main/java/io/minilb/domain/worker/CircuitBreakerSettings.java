package io.minilb.domain.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a worker's circuit breaker decides (SGLang router's {@code --cb-*} flags).
 *
 * @param enabled false for {@code --disable-circuit-breaker}: the circuit then stays closed whatever happens
 * @param failureThreshold failures, with no success between them and all within {@code window}, that open the
 *     circuit
 * @param successThreshold successes in a row that close a half-open circuit
 * @param timeout how long an open circuit stays open before it lets trial requests through
 * @param window how far back failures count: older ones are forgotten
 */
public record CircuitBreakerSettings(
        boolean enabled, int failureThreshold, int successThreshold, Duration timeout, Duration window) {

    public CircuitBreakerSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(window, "window");
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("circuit breaker failure threshold must be at least 1, got "
                    + failureThreshold);
        }
        if (successThreshold < 1) {
            throw new IllegalArgumentException("circuit breaker success threshold must be at least 1, got "
                    + successThreshold);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("circuit breaker timeout must be positive, got " + timeout);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("circuit breaker window must be positive, got " + window);
        }
    }

    /** The same thresholds, with the breaker switched off. */
    public CircuitBreakerSettings disabled() {
        return new CircuitBreakerSettings(false, failureThreshold, successThreshold, timeout, window);
    }
}
