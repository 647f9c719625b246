package io.minilb.application.port.out;

import java.time.Duration;

/** Runs a task after a delay, on a thread of its own: the backoff between attempts blocks no thread. */
@FunctionalInterface
public interface DelayScheduler {

    /** Returns a handle whose {@code cancel} keeps the task from running and lets go of it. */
    Scheduled schedule(Duration delay, Runnable task);

    @FunctionalInterface
    interface Scheduled {
        void cancel();
    }
}
