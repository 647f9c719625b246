package io.minilb.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.port.out.DelayScheduler;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.selection.CacheAwareSelection;
import io.minilb.domain.selection.CacheAwareSettings;
import io.minilb.domain.selection.RoutingContext;
import io.minilb.domain.worker.WorkerLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeriodicEvictionTest {

    private record Worker(String id, String url, int inFlight) implements WorkerLoad {
    }

    private final List<Duration> delays = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    private final DelayScheduler scheduler = (delay, task) -> {
        delays.add(delay);
        tasks.add(task);
        return () -> { };
    };

    @Test
    void eachRunEvictsAndSchedulesTheNextOneInterval() {
        var policy = new CacheAwareSelection(new CacheAwareSettings(0.3, 64, 1.5, 1000), () -> 0L,
                MonotonicClock.SYSTEM);
        var gone = new Worker("gone", "http://gone", 0);
        var stays = new Worker("stays", "http://stays", 1);
        policy.select(List.of(gone, stays), RoutingContext.ofText(Optional.empty(), "a prompt well over ten chars"));
        PeriodicEviction.start(policy, scheduler, Duration.ofSeconds(120));
        assertThat(delays).containsExactly(Duration.ofSeconds(120));

        tasks.get(0).run();
        assertThat(policy.treeSize("gone")).as("a candidate since the start: kept").isPositive();
        policy.select(List.of(stays), RoutingContext.ofText(Optional.empty(), "another prompt"));
        tasks.get(1).run();

        assertThat(policy.treeSize("gone")).as("not a candidate for a whole interval").isZero();
        assertThat(delays).containsExactly(Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(120));
    }
}
