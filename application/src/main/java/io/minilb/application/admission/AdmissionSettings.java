package io.minilb.application.admission;

import java.time.Duration;
import java.util.Objects;

/**
 * How many generations mini-lb serves at once and how fast it admits new ones, as SGLang's router's flags say.
 *
 * @param maxConcurrentRequests generations in flight at most; 0 or less: no limit
 * @param queueSize requests that may wait for a slot, first come first served; beyond it 429. 0: none wait
 * @param queueTimeout how long a request may wait in the queue; then 408
 * @param rateLimitTokensPerSecond requests admitted per second on average, with bursts of up to one second's worth;
 *     0: no rate limit
 */
public record AdmissionSettings(
        int maxConcurrentRequests, int queueSize, Duration queueTimeout, int rateLimitTokensPerSecond) {

    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = -1;
    public static final int DEFAULT_QUEUE_SIZE = 100;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RATE_LIMIT_TOKENS_PER_SECOND = 0;

    public AdmissionSettings {
        Objects.requireNonNull(queueTimeout, "queueTimeout");
        if (queueSize < 0) {
            throw new IllegalArgumentException("--queue-size must be at least 0, got " + queueSize);
        }
        if (queueSize > 0 && (queueTimeout.isNegative() || queueTimeout.isZero())) {
            throw new IllegalArgumentException("--queue-timeout-secs must be at least 1 when --queue-size is above 0");
        }
        if (rateLimitTokensPerSecond < 0) {
            throw new IllegalArgumentException(
                    "--rate-limit-tokens-per-second must be at least 0 (0: no rate limit), got " + rateLimitTokensPerSecond);
        }
    }

    /** SGLang's router's defaults: no concurrency limit, no rate limit (the queue then never fills). */
    public static AdmissionSettings defaults() {
        return new AdmissionSettings(DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_QUEUE_SIZE, DEFAULT_QUEUE_TIMEOUT,
                DEFAULT_RATE_LIMIT_TOKENS_PER_SECOND);
    }

    boolean limitsConcurrency() {
        return maxConcurrentRequests > 0;
    }

    boolean limitsRate() {
        return rateLimitTokensPerSecond > 0;
    }
}
