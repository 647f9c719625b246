package io.minilb.domain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.selection.PairSelection;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RoundRobinSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    private static final CircuitBreakerSettings BREAKER =
            new CircuitBreakerSettings(true, 2, 1, Duration.ofSeconds(10), Duration.ofSeconds(60));

    private final AtomicLong now = new AtomicLong();
    private final WorkerRegistry registry = new WorkerRegistry(BREAKER, new HealthThresholds(1, 1), now::get);
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWorkerRemembersWhenItWasLastHeardFrom() {
        var decode = registry.addDecode(new DecodeWorker("http://d:1"), WorkerOrigin.CONFIGURATION, true);

        assertThat(decode.heardFromSince(Long.MIN_VALUE + 1)).as("never heard from").isFalse();
        decode.heardFrom(5_000_000_000L);
        assertThat(decode.heardFromSince(4_000_000_000L)).isTrue();
        assertThat(decode.heardFromSince(7_000_000_000L)).isFalse();
        decode.heardFrom(8_000_000_000L);
        assertThat(decode.heardFromSince(7_000_000_000L)).isTrue();
    }

    @Test
    void workersAreFoundByIdAndUrl() {
        var prefill = registry.addPrefill(PrefillWorker.of("http://p:1", 8998), WorkerOrigin.CONFIGURATION, true);
        var decode = registry.addDecode(new DecodeWorker("http://d:1/"), WorkerOrigin.API, false);

        assertThat(registry.byId(decode.id())).containsSame(decode);
        assertThat(registry.byId(decode.id().toUpperCase(java.util.Locale.ROOT))).as("UUIDs ignore case")
                .containsSame(decode);
        assertThat(registry.byUrl("http://p:1")).containsSame(prefill);
        assertThat(registry.byUrl("http://d:1")).containsSame(decode);
        assertThat(registry.byId("nobody")).isEmpty();
        assertThat(registry.snapshot()).containsExactly(prefill, decode);
        assertThat(decode.origin()).isEqualTo(WorkerOrigin.API);
        assertThat(decode.role()).isEqualTo(WorkerRole.DECODE);
    }

    @Test
    void idsAreUrlSafeAndStableForAUrl() {
        String id = registry.addDecode(new DecodeWorker("http://[::1]:30000"), WorkerOrigin.API, true).id();

        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(LiveWorker.idOf(new DecodeWorker("http://[::1]:30000/"))).isEqualTo(id);
        assertThat(LiveWorker.idOf(new DecodeWorker("http://[::1]:30001"))).isNotEqualTo(id);
    }

    @Test
    void aUrlIsRegisteredOnceWhateverTheRole() {
        registry.addDecode(new DecodeWorker("http://w:1"), WorkerOrigin.CONFIGURATION, true);

        assertThatThrownBy(() -> registry.addDecode(new DecodeWorker("http://w:1"), WorkerOrigin.API, true))
                .hasMessageContaining("decode http://w:1 is already registered");
        assertThatThrownBy(() -> registry.addPrefill(PrefillWorker.of("http://w:1", 1), WorkerOrigin.API, true))
                .hasMessageContaining("already registered");
        assertThat(registry.snapshot()).hasSize(1);
    }

    @Test
    void onlyHealthyWorkersWithoutAnOpenCircuitThatAreNotDrainingAreAvailable() {
        var healthy = registry.addDecode(new DecodeWorker("http://d1:1"), WorkerOrigin.CONFIGURATION, true);
        var unhealthy = registry.addDecode(new DecodeWorker("http://d2:1"), WorkerOrigin.API, false);
        var failing = registry.addDecode(new DecodeWorker("http://d3:1"), WorkerOrigin.CONFIGURATION, true);
        var removed = registry.addDecode(new DecodeWorker("http://d4:1"), WorkerOrigin.CONFIGURATION, true);
        removed.tryStart();
        failing.circuit().recordFailure();
        failing.circuit().recordFailure();
        registry.remove(removed.id());

        assertThat(registry.availableDecodes()).containsExactly(healthy);
        assertThat(unhealthy.unavailability()).contains(Unavailability.UNHEALTHY);
        assertThat(failing.unavailability()).contains(Unavailability.CIRCUIT_OPEN);
        assertThat(removed.unavailability()).contains(Unavailability.DRAINING);
        assertThat(registry.decodes()).as("listed until drained").hasSize(4);

        unhealthy.health().recordCheck(true);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(registry.availableDecodes()).as("half-open admits trials").containsExactly(healthy, unhealthy, failing);
    }

    @Test
    void aRemovedWorkerLeavesOnceItsLastRequestEnds() {
        var decode = registry.addDecode(new DecodeWorker("http://d:1"), WorkerOrigin.CONFIGURATION, true);
        assertThat(decode.tryStart()).isTrue();
        assertThat(decode.tryStart()).isTrue();

        assertThat(registry.remove(decode.id())).isTrue();
        assertThat(registry.remove(decode.id())).as("already draining").isFalse();
        assertThat(decode.tryStart()).isFalse();
        decode.finish();
        assertThat(registry.decodes()).containsExactly(decode);
        assertThat(decode.inFlight()).isEqualTo(1);

        decode.finish();

        assertThat(registry.decodes()).isEmpty();
        assertThat(registry.byId(decode.id())).isEmpty();
        assertThatThrownBy(decode::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIdleWorkerLeavesAtOnceAndItsUrlMayComeBack() {
        var decode = registry.addDecode(new DecodeWorker("http://d:1"), WorkerOrigin.API, true);

        assertThat(registry.remove(decode.id())).isTrue();

        assertThat(registry.snapshot()).isEmpty();
        var again = registry.addDecode(new DecodeWorker("http://d:1"), WorkerOrigin.API, true);
        assertThat(again.id()).isEqualTo(decode.id());
        assertThat(again.isAvailable()).isTrue();
    }

    @Test
    void concurrentAddsAndRemovesLoseNoUpdate() throws Exception {
        int perThread = 200;
        var start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    var kept = registry.addDecode(
                            new DecodeWorker("http://kept-" + thread + "-" + i + ":1"), WorkerOrigin.API, true);
                    var gone = registry.addPrefill(PrefillWorker.of("http://gone-" + thread + "-" + i + ":1", 1),
                            WorkerOrigin.API, true);
                    assertThat(registry.remove(gone.id())).isTrue();
                    assertThat(registry.byId(kept.id())).containsSame(kept);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(30, TimeUnit.SECONDS);
        }

        assertThat(registry.decodes()).hasSize(4 * perThread);
        assertThat(registry.prefills()).isEmpty();
    }

    @Test
    void aRemovedWorkerIsNeverChosenOnceRemoveHasReturnedAndDrainsUnderLoad() throws Exception {
        registry.addPrefill(PrefillWorker.of("http://p:1", 1), WorkerOrigin.CONFIGURATION, true);
        var removed = registry.addDecode(new DecodeWorker("http://d1:1"), WorkerOrigin.CONFIGURATION, true);
        var kept = registry.addDecode(new DecodeWorker("http://d2:1"), WorkerOrigin.CONFIGURATION, true);
        var selector = new PairSelector(new RoundRobinSelection(), new RoundRobinSelection());
        var removeReturned = new AtomicBoolean();
        var chosenAfterRemoval = new AtomicInteger();
        var runningOnADroppedWorker = new AtomicInteger();
        var requests = new AtomicInteger();
        var start = new CountDownLatch(1);
        List<Future<?>> selectors = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            selectors.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                    boolean removedBefore = removeReturned.get();
                    var chosen = (PairSelection.Chosen) selector.select(registry);
                    if (removedBefore && chosen.decode() == removed) {
                        chosenAfterRemoval.incrementAndGet();
                    }
                    if (chosen.decode() == removed && !registry.decodes().contains(removed)) {
                        runningOnADroppedWorker.incrementAndGet();
                    }
                    requests.incrementAndGet();
                    chosen.prefill().finish();
                    chosen.decode().finish();
                }
                return null;
            }));
        }
        start.countDown();
        while (requests.get() < 1_000) {
            Thread.onSpinWait();
        }
        assertThat(registry.remove(removed.id())).isTrue();
        removeReturned.set(true);
        for (Future<?> future : selectors) {
            future.get(60, TimeUnit.SECONDS);
        }

        assertThat(chosenAfterRemoval.get()).isZero();
        assertThat(runningOnADroppedWorker.get()).as("chosen from an old snapshot, counted in after it drained")
                .isZero();
        assertThat(registry.decodes()).containsExactly(kept);
        assertThat(removed.inFlight()).isZero();
        assertThat(kept.inFlight()).isZero();
        assertThat(registry.prefills()).singleElement().satisfies(p -> assertThat(p.inFlight()).isZero());
    }
}
