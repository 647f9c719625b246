package io.minilb.domain.retry;

import io.minilb.domain.MonotonicClock;
import java.time.Duration;
import java.util.Objects;

/** The time a request has left, over all its attempts: every attempt gets what the ones before it did not use. */
public final class Deadline {

    private final MonotonicClock clock;
    private final long endNanos;

    private Deadline(MonotonicClock clock, long endNanos) {
        this.clock = clock;
        this.endNanos = endNanos;
    }

    public static Deadline after(MonotonicClock clock, Duration budget) {
        Objects.requireNonNull(clock, "clock");
        return new Deadline(clock, clock.nanoTime() + budget.toNanos());
    }

    /** What is left; zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(endNanos - clock.nanoTime());
    }

    /** Whether an attempt started after waiting {@code wait} would still have some time. */
    public boolean leavesTimeAfter(Duration wait) {
        return remaining().compareTo(wait) > 0;
    }
}
