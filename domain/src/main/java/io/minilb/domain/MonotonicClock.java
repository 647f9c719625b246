package io.minilb.domain;

/** Port for elapsed time, so time-based rules (rate limits, breakers, backoff) are tested with a fake clock. */
@FunctionalInterface
public interface MonotonicClock {

    MonotonicClock SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();
}
