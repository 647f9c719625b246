package io.minilb.application.port.out;

import java.time.Duration;

/** Runs a task periodically, off the caller's thread, so that periodic work is unit-tested with a fake. */
public interface RoundScheduler extends AutoCloseable {

    /** Runs {@code task} after {@code period}, then every {@code period}, until {@link #close}. */
    void repeat(Runnable task, Duration period);

    /** Stops the task; a run in progress finishes. */
    @Override
    void close();
}
