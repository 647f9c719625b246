package io.minilb.application.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether mini-lb still takes traffic (not draining, and no part it needs has died), whether it is still warming up
 * (it serves, but does not call itself ready), and how many generations are in flight (for a graceful stop).
 */
public final class ServingState {

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean warmingUp = new AtomicBoolean();
    private final AtomicReference<String> fatalError = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();

    public boolean isDraining() {
        return draining.get();
    }

    /** From now on {@code /health} reports 503, so upstream load balancers stop sending traffic. */
    public void startDraining() {
        draining.set(true);
    }

    /** Until {@link #finishWarmingUp}, {@code /readiness} reports 503: traffic is served, but slowly at first. */
    public void startWarmingUp() {
        warmingUp.set(true);
    }

    public void finishWarmingUp() {
        warmingUp.set(false);
    }

    public boolean isWarmingUp() {
        return warmingUp.get();
    }

    /** False while draining and after a fatal error: {@code /health} then reports 503. */
    public boolean isServing() {
        return !draining.get() && fatalError.get() == null;
    }

    /**
     * Records that a part mini-lb cannot serve without has died (the backend client, an IO thread); true for the
     * first such call, whose reason is kept.
     */
    public boolean markFatal(String reason) {
        return fatalError.compareAndSet(null, reason);
    }

    /** What died, if anything did. */
    public Optional<String> fatalError() {
        return Optional.ofNullable(fatalError.get());
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Waits until no generation is in flight, or the grace period ends; true when idle. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }
}
