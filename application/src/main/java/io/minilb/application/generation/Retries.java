package io.minilb.application.generation;

import io.minilb.application.port.out.DelayScheduler;
import io.minilb.domain.RandomSource;
import io.minilb.domain.retry.RetrySettings;
import java.util.Objects;

/**
 * What a request needs to try again: the settings, the randomness for the jitter, and the scheduler that runs the
 * next attempt after its backoff.
 */
public record Retries(RetrySettings settings, RandomSource random, DelayScheduler scheduler) {

    public Retries {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
