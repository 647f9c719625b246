package io.minilb.bootstrap;

import io.minilb.application.port.out.RoundScheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs periodic work on one daemon thread of its own (its thread starts with the first task). The tasks only start
 * asynchronous work, so one thread is enough and never waits on the network.
 */
public final class ExecutorRoundScheduler implements RoundScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRoundScheduler.class);

    private final ScheduledExecutorService executor;

    public ExecutorRoundScheduler(String threadName) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** At a fixed rate: a slow run does not push the next ones back. */
    @Override
    public void repeat(Runnable task, Duration period) {
        long nanos = period.toNanos();
        executor.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A task that throws would never run again: log it and keep the schedule.
                LOG.error("periodic task failed; it runs again at its next period", e);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
