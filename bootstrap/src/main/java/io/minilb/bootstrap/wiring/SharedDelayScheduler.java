package io.minilb.bootstrap.wiring;

import io.minilb.application.port.out.DelayScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits on the JDK's shared delay thread and runs the task in the common pool: no thread of mini-lb's own to start
 * or stop. A cancelled task is let go at once, so a waiting retry holds no request body until its timer fires.
 */
final class SharedDelayScheduler implements DelayScheduler {

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        var held = new AtomicReference<>(task);
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            Runnable toRun = held.getAndSet(null);
            if (toRun != null) {
                toRun.run();
            }
        });
        return () -> held.set(null);
    }
}
