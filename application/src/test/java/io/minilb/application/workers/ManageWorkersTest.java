package io.minilb.application.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import io.minilb.domain.worker.WorkerRole;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ManageWorkersTest {

    private final WorkerRegistry registry = new WorkerRegistry(
            new CircuitBreakerSettings(true, 3, 2, Duration.ofSeconds(10), Duration.ofSeconds(60)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM);
    private final ServingState servingState = new ServingState();
    private final LiveWorker<PrefillWorker> prefill = registry.addPrefill(
            PrefillWorker.of("http://p1:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> decode =
            registry.addDecode(new DecodeWorker("http://d1:30000"), WorkerOrigin.CONFIGURATION, true);

    private ManageWorkers workers(int maxWorkers, boolean startHealthy) {
        return new ManageWorkers(registry, servingState, maxWorkers, startHealthy);
    }

    @Test
    void anAddedWorkerIsListedAfterTheConfiguredOnesWithTheApiAsItsOrigin() {
        ManageWorkers workers = workers(10, true);

        var result = workers.add(new DecodeWorker("http://d2:30000/"));

        assertThat(result).isInstanceOf(AddWorkerResult.Added.class);
        LiveWorker<?> added = ((AddWorkerResult.Added) result).worker();
        assertThat(added.url()).isEqualTo("http://d2:30000");
        assertThat(added.origin()).isEqualTo(WorkerOrigin.API);
        assertThat(added.isAvailable()).isTrue();
        assertThat(workers.list()).containsExactly(prefill, decode, added);
        assertThat(workers.find(added.id())).contains(added);
        assertThat(registry.availableDecodes()).hasSize(2);
    }

    @Test
    void withHealthChecksAnAddedWorkerWaitsForItsFirstPassedCheck() {
        var result = (AddWorkerResult.Added) workers(10, false).add(PrefillWorker.withoutBootstrapPort("http://p2:1"));

        assertThat(result.worker().isAvailable()).isFalse();
        assertThat(registry.availablePrefills()).containsExactly(prefill);
        result.worker().health().recordCheck(true);
        assertThat(registry.availablePrefills()).hasSize(2);
    }

    @Test
    void aUrlRegisteredInEitherRoleIsRefusedNamingTheWorkerThatHasIt() {
        ManageWorkers workers = workers(10, true);

        var result = workers.add(PrefillWorker.withoutBootstrapPort("http://d1:30000"));

        assertThat(result).isEqualTo(new AddWorkerResult.AlreadyRegistered(decode));
        assertThat(workers.list()).hasSize(2);
    }

    @Test
    void theRegistryHoldsAtMostTheLimitWhateverTheConcurrentAddsAsk() throws Exception {
        int limit = 50;
        ManageWorkers workers = workers(limit, true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<AddWorkerResult>> results = IntStream.range(0, 500)
                    .mapToObj(i -> pool.submit(() -> {
                        start.await();
                        return workers.add(new DecodeWorker("http://d" + i + ".example:30000"));
                    }))
                    .toList();
            start.countDown();
            long full = 0;
            for (Future<AddWorkerResult> result : results) {
                if (result.get(30, TimeUnit.SECONDS) instanceof AddWorkerResult.RegistryFull refused) {
                    assertThat(refused.limit()).isEqualTo(limit);
                    full++;
                }
            }
            assertThat(registry.snapshot()).hasSize(limit);
            assertThat(full).isEqualTo(500 - (limit - 2));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDrainingWorkerStillCountsAgainstTheLimitUntilItsRequestsEnd() {
        ManageWorkers workers = workers(2, true);
        assertThat(decode.tryStart()).isTrue();

        assertThat(workers.remove(decode.id())).contains(decode);
        assertThat(workers.add(new DecodeWorker("http://d2:30000"))).isEqualTo(new AddWorkerResult.RegistryFull(2));

        decode.finish();
        assertThat(workers.add(new DecodeWorker("http://d2:30000"))).isInstanceOf(AddWorkerResult.Added.class);
    }

    @Test
    void removingDrainsAndAnUnknownIdFindsNothing() {
        ManageWorkers workers = workers(10, true);
        assertThat(decode.tryStart()).isTrue();

        assertThat(workers.remove(decode.id())).contains(decode);

        assertThat(decode.isDraining()).isTrue();
        assertThat(registry.availableDecodes()).isEmpty();
        assertThat(workers.list()).contains(decode);
        decode.finish();
        assertThat(workers.list()).containsExactly(prefill);
        assertThat(workers.remove(decode.id())).isEmpty();
        assertThat(workers.find("no-such-id")).isEmpty();
    }

    @Test
    void readyOnlyWithAnAvailablePrefillAndDecodeWhileServing() {
        ManageWorkers workers = workers(10, true);
        assertThat(workers.readiness().isReady()).isTrue();

        workers.remove(decode.id());
        Readiness noDecode = workers.readiness();
        assertThat(noDecode.isReady()).isFalse();
        assertThat(noDecode.sidesWithNone()).containsExactly(WorkerRole.DECODE);

        workers.remove(prefill.id());
        assertThat(workers.readiness().sidesWithNone()).containsExactly(WorkerRole.PREFILL, WorkerRole.DECODE);

        workers.add(PrefillWorker.withoutBootstrapPort("http://p2:30000"));
        workers.add(new DecodeWorker("http://d2:30000"));
        assertThat(workers.readiness().isReady()).isTrue();

        servingState.startDraining();
        assertThat(workers.readiness().isReady()).isFalse();
        assertThat(workers.readiness().sidesWithNone()).isEmpty();
    }

    @Test
    void notReadyWhileWarmingUpThoughWorkersAreAvailable() {
        ManageWorkers workers = workers(10, true);
        servingState.startWarmingUp();

        Readiness warming = workers.readiness();
        assertThat(warming.isReady()).isFalse();
        assertThat(warming.warmingUp()).isTrue();
        assertThat(warming.sidesWithNone()).isEmpty();

        servingState.finishWarmingUp();
        assertThat(workers.readiness().isReady()).isTrue();
    }
}
