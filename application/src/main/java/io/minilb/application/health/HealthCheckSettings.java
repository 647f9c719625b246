package io.minilb.application.health;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checks (SGLang router's {@code --health-check-*} and {@code --disable-health-check}).
 *
 * @param enabled false: workers are never checked, only their circuit breakers take them out
 * @param interval between the starts of two check rounds
 * @param timeout how long one worker has to answer a check (both of a prefill's servers, checked at once)
 * @param endpoint the path checked on each worker's HTTP server
 */
public record HealthCheckSettings(boolean enabled, Duration interval, Duration timeout, String endpoint) {

    /**
     * 10 s (SGLang's router: 60 s): a restarted worker is back within two intervals (20 s), not two minutes, and a
     * round costs one small GET per server (two per prefill) every 10 s.
     */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** 5 s, as SGLang's router: a server answering {@code /health} slower than that is not serving either. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** SGLang's health route, on the HTTP server of prefills and decodes alike. */
    public static final String DEFAULT_ENDPOINT = "/health";

    public HealthCheckSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(endpoint, "endpoint");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("health check interval must be positive, got " + interval.toMillis() + " ms");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check timeout must be positive, got " + timeout.toMillis() + " ms");
        }
        if (!endpoint.startsWith("/")) {
            throw new IllegalArgumentException("health check endpoint must start with '/', got '" + endpoint + "'");
        }
    }

    public static HealthCheckSettings defaults() {
        return new HealthCheckSettings(true, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_ENDPOINT);
    }

    public HealthCheckSettings disabled() {
        return new HealthCheckSettings(false, interval, timeout, endpoint);
    }

    public HealthCheckSettings withInterval(Duration newInterval) {
        return new HealthCheckSettings(enabled, newInterval, timeout, endpoint);
    }
}
