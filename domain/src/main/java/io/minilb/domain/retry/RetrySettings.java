package io.minilb.domain.retry;

import io.minilb.domain.RandomSource;
import java.time.Duration;
import java.util.Objects;

/**
 * When a generation that failed before its first byte is tried again, and how long to wait before each new attempt:
 * exponential backoff, capped, with jitter so that the requests a failure hit together do not come back together.
 *
 * @param enabled false for SGLang router's {@code --disable-retries}: one attempt per request
 * @param maxAttempts attempts in all, the first one included, as SGLang's router counts its
 *     {@code --retry-max-retries}
 * @param initialBackoff the wait before the first retry
 * @param maxBackoff the cap on any wait, before jitter
 * @param multiplier how much each wait grows over the one before
 * @param jitterFactor each wait is moved by a uniform share in [-jitterFactor, +jitterFactor] of itself
 */
public record RetrySettings(
        boolean enabled, int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
        double jitterFactor) {

    public RetrySettings {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoffs must not be negative");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("the backoff multiplier must be at least 1, got " + multiplier);
        }
        if (!(jitterFactor >= 0.0 && jitterFactor <= 1.0)) {
            throw new IllegalArgumentException("the jitter factor must be within 0-1, got " + jitterFactor);
        }
    }

    /** The same settings with retries off. */
    public RetrySettings disabled() {
        return new RetrySettings(false, maxAttempts, initialBackoff, maxBackoff, multiplier, jitterFactor);
    }

    /** Whether another attempt may follow {@code attemptsMade} attempts, budget aside. */
    public boolean allowsAnotherAfter(int attemptsMade) {
        return enabled && attemptsMade < maxAttempts;
    }

    /**
     * The wait before retry number {@code retry} (0 for the first retry): {@code initialBackoff * multiplier^retry},
     * capped at {@code maxBackoff}, then moved by the jitter; never negative.
     */
    public Duration backoffBefore(int retry, RandomSource random) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry index must not be negative, got " + retry);
        }
        double capNanos = maxBackoff.toNanos();
        double baseNanos = Math.min(initialBackoff.toNanos() * Math.pow(multiplier, retry), capNanos);
        double shift = jitterFactor * (2 * unitInterval(random) - 1);
        return Duration.ofNanos(Math.max(0L, Math.round(baseNanos * (1 + shift))));
    }

    /** A uniform value in [0, 1) from the top 53 bits, the precision of a double. */
    private static double unitInterval(RandomSource random) {
        return (random.nextLong() >>> 11) * 0x1.0p-53;
    }
}
