package io.minilb.application.admission;

import io.minilb.domain.MonotonicClock;

/**
 * A token bucket: refills at a steady rate up to its capacity, and each admitted request takes one token. Not
 * thread-safe: its owner holds a lock around every call.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double tokensPerSecond;
    private final double capacity;
    private final MonotonicClock clock;
    private double tokens;
    private long refilledAt;

    /** Starts full, so that the first burst of up to {@code capacity} requests is admitted at once. */
    TokenBucket(double tokensPerSecond, double capacity, MonotonicClock clock) {
        if (tokensPerSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("a bucket needs a positive rate and room for one token");
        }
        this.tokensPerSecond = tokensPerSecond;
        this.capacity = capacity;
        this.clock = clock;
        this.tokens = capacity;
        this.refilledAt = clock.nanoTime();
    }

    boolean tryTake() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** How long until a token is there to take: 0 when one is. */
    long nanosUntilToken() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerSecond * NANOS_PER_SECOND);
    }

    private void refill() {
        long now = clock.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerSecond / NANOS_PER_SECOND);
        refilledAt = now;
    }
}
