package io.minilb.domain.worker;

import java.util.Objects;

/**
 * A worker's health as its checks found it: a healthy worker turns unhealthy after {@code failureThreshold} failed
 * checks in a row, an unhealthy one healthy after {@code successThreshold} passed checks in a row; a result against
 * the streak resets it. Thread-safe.
 */
public final class WorkerHealth {

    private final HealthThresholds thresholds;
    private volatile boolean healthy;
    private int streak;
    private boolean checked;

    /**
     * @param startsHealthy true for a worker that takes traffic before its first check (health checks disabled),
     *     false for one that must pass its checks first
     */
    public WorkerHealth(HealthThresholds thresholds, boolean startsHealthy) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.healthy = startsHealthy;
    }

    public boolean isHealthy() {
        return healthy;
    }

    /**
     * Records an active health check. Until its first one, a worker's health is a guess (a configured worker is
     * trusted, an added one is not): the first check replaces the guess at once, so a configured worker that fails
     * it is out before its first request, and later checks count toward the thresholds. True when it changed the
     * worker's health.
     */
    public synchronized boolean recordActiveCheck(boolean passed) {
        if (checked) {
            return recordCheck(passed);
        }
        checked = true;
        streak = 0;
        boolean changed = healthy != passed;
        healthy = passed;
        return changed;
    }

    /**
     * Records an active health check that got no answer within its timeout: the worker is unhealthy at once, whatever
     * the failure threshold. A server that takes connections and never answers holds every request sent to it until
     * the request's own timeout, so waiting for more such checks would cost each of them; it comes back after the
     * success threshold of passed checks, as any unhealthy worker. True when it changed the worker's health.
     */
    public synchronized boolean recordUnansweredCheck() {
        checked = true;
        streak = 0;
        boolean changed = healthy;
        healthy = false;
        return changed;
    }

    /** Records one check's result; true when it changed the worker's health. */
    public synchronized boolean recordCheck(boolean passed) {
        if (passed == healthy) {
            streak = 0;
            return false;
        }
        streak++;
        int needed = healthy ? thresholds.failureThreshold() : thresholds.successThreshold();
        if (streak < needed) {
            return false;
        }
        healthy = passed;
        streak = 0;
        return true;
    }
}
