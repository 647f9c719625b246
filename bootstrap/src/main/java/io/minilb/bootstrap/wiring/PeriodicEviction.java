package io.minilb.bootstrap.wiring;

import io.minilb.application.port.out.DelayScheduler;
import io.minilb.domain.selection.CacheAwareSelection;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims a cache_aware policy's tree every interval on the shared delay scheduler: no thread of its own. The timer
 * holds the policy weakly, so an instance that was let go (an embedded mini-lb stopped) stops its trims.
 */
final class PeriodicEviction {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicEviction.class);

    private final WeakReference<CacheAwareSelection> policy;
    private final DelayScheduler scheduler;
    private final Duration interval;

    private PeriodicEviction(CacheAwareSelection policy, DelayScheduler scheduler, Duration interval) {
        this.policy = new WeakReference<>(policy);
        this.scheduler = scheduler;
        this.interval = interval;
    }

    static void start(CacheAwareSelection policy, DelayScheduler scheduler, Duration interval) {
        new PeriodicEviction(policy, scheduler, interval).scheduleNext();
    }

    private void scheduleNext() {
        scheduler.schedule(interval, this::run);
    }

    private void run() {
        CacheAwareSelection current = policy.get();
        if (current == null) {
            return;
        }
        try {
            current.evict();
        } catch (RuntimeException e) {
            LOG.error("cache_aware eviction failed; it runs again in {}", interval, e);
        }
        scheduleNext();
    }
}
