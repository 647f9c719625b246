package io.minilb.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.Unavailability;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import io.minilb.domain.worker.WorkerRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PairSelectorTest {

    private final AtomicLong now = new AtomicLong();
    private final WorkerRegistry registry = new WorkerRegistry(
            new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(10), Duration.ofSeconds(10)),
            new HealthThresholds(1, 1), now::get);
    private final PairSelector selector = new PairSelector(new RoundRobinSelection(), new RoundRobinSelection());

    @Test
    void eachSideUsesItsOwnPolicyAndTheChosenWorkersAreCountedIn() {
        registry.addPrefill(PrefillWorker.of("http://p1:1", 8998), WorkerOrigin.CONFIGURATION, true);
        registry.addPrefill(PrefillWorker.of("http://p2:1", 8998), WorkerOrigin.CONFIGURATION, true);
        for (int i = 1; i <= 3; i++) {
            registry.addDecode(new DecodeWorker("http://d" + i + ":1"), WorkerOrigin.CONFIGURATION, true);
        }
        var pairs = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            var pair = chosen();
            pairs.add(pair.prefill().url() + "|" + pair.decode().url());
        }

        assertThat(pairs).containsExactly("http://p1:1|http://d1:1", "http://p2:1|http://d2:1", "http://p1:1|http://d3:1");
        assertThat(registry.prefills()).extracting(LiveWorker::inFlight).containsExactly(2, 1);
        assertThat(registry.decodes()).extracting(LiveWorker::inFlight).containsExactly(1, 1, 1);
    }

    @Test
    void bothPoliciesSeeTheRoutingContext() {
        for (int i = 1; i <= 4; i++) {
            registry.addPrefill(PrefillWorker.of("http://p" + i + ":1", 8998), WorkerOrigin.CONFIGURATION, true);
            registry.addDecode(new DecodeWorker("http://d" + i + ":1"), WorkerOrigin.CONFIGURATION, true);
        }
        var byKey = new PairSelector(new ConsistentHashSelection(new io.minilb.domain.SeededRandom(1)),
                new ConsistentHashSelection(new io.minilb.domain.SeededRandom(2)));
        var pairs = new java.util.HashSet<String>();
        for (int i = 0; i < 10; i++) {
            var pair = (PairSelection.Chosen) byKey.select(registry, Set.of(),
                    RoutingContext.ofText(java.util.Optional.of("session-7"), "hello"));
            pairs.add(pair.prefill().url() + "|" + pair.decode().url());
            pair.prefill().finish();
            pair.decode().finish();
        }
        assertThat(pairs).as("one key, one pair; without the context the choice would be random").hasSize(1);
    }

    @Test
    void workersToAvoidArePassedOverUnlessTheyAreAllThereIs() {
        var onlyPrefill = registry.addPrefill(PrefillWorker.of("http://p:1", 8998), WorkerOrigin.CONFIGURATION, true);
        var failed = registry.addDecode(new DecodeWorker("http://d1:1"), WorkerOrigin.CONFIGURATION, true);
        var other = registry.addDecode(new DecodeWorker("http://d2:1"), WorkerOrigin.CONFIGURATION, true);

        for (int i = 0; i < 4; i++) {
            var pair = (PairSelection.Chosen) selector.select(registry, Set.of(failed.id(), onlyPrefill.id()));
            assertThat(pair.decode()).isSameAs(other);
            assertThat(pair.prefill()).as("the only prefill, though to be avoided").isSameAs(onlyPrefill);
        }
        assertThat(failed.inFlight()).isZero();
    }

    @Test
    void unavailableWorkersAreSkipped() {
        registry.addPrefill(PrefillWorker.of("http://p:1", 8998), WorkerOrigin.CONFIGURATION, true);
        var open = registry.addDecode(new DecodeWorker("http://d1:1"), WorkerOrigin.CONFIGURATION, true);
        var unhealthy = registry.addDecode(new DecodeWorker("http://d2:1"), WorkerOrigin.API, false);
        var draining = registry.addDecode(new DecodeWorker("http://d3:1"), WorkerOrigin.CONFIGURATION, true);
        var ok = registry.addDecode(new DecodeWorker("http://d4:1"), WorkerOrigin.CONFIGURATION, true);
        open.circuit().recordFailure();
        draining.tryStart();
        registry.remove(draining.id());

        for (int i = 0; i < 4; i++) {
            assertThat(chosen().decode()).isSameAs(ok);
        }
        assertThat(unhealthy.inFlight()).isZero();
    }

    @Test
    void aSideWithoutAvailableWorkersIsNamedWithTheReasonsAndNothingStaysCountedIn() {
        var prefill = registry.addPrefill(PrefillWorker.of("http://p:1", 8998), WorkerOrigin.CONFIGURATION, true);
        registry.addDecode(new DecodeWorker("http://d1:1"), WorkerOrigin.CONFIGURATION, true).circuit().recordFailure();
        registry.addDecode(new DecodeWorker("http://d2:1"), WorkerOrigin.CONFIGURATION, false);

        var none = (PairSelection.NoneAvailable) selector.select(registry);

        assertThat(none.role()).isEqualTo(WorkerRole.DECODE);
        assertThat(none.reasons()).isEqualTo(Map.of(Unavailability.CIRCUIT_OPEN, 1L, Unavailability.UNHEALTHY, 1L));
        assertThat(none.registered()).isEqualTo(2);
        assertThat(prefill.inFlight()).as("the prefill claimed first is let go").isZero();
    }

    @Test
    void thePrefillSideIsNamedFirstAndAnEmptySideHasNoReasons() {
        var none = (PairSelection.NoneAvailable) selector.select(registry);

        assertThat(none.role()).isEqualTo(WorkerRole.PREFILL);
        assertThat(none.registered()).isZero();
        assertThat(none.reasons()).isEmpty();
    }

    @Test
    void aWorkerWhoseCircuitTurnsHalfOpenGetsOneTrialAtATimeUntilItCloses() {
        registry.addPrefill(PrefillWorker.of("http://p:1", 8998), WorkerOrigin.CONFIGURATION, true);
        var decode = registry.addDecode(new DecodeWorker("http://d:1"), WorkerOrigin.CONFIGURATION, true);
        decode.circuit().recordFailure();
        assertThat(selector.select(registry)).isInstanceOf(PairSelection.NoneAvailable.class);

        now.addAndGet(Duration.ofSeconds(10).toNanos());

        assertThat(chosen().decode()).isSameAs(decode);
        var busy = (PairSelection.NoneAvailable) selector.select(registry);
        assertThat(busy.reasons()).as("one trial at a time with a success threshold of 1")
                .isEqualTo(Map.of(Unavailability.TRIALS_IN_FLIGHT, 1L));
        decode.circuit().recordSuccess();
        decode.finish();
        assertThat(chosen().decode()).isSameAs(decode);
        assertThat(chosen().decode()).as("closed again: no limit").isSameAs(decode);
    }

    private PairSelection.Chosen chosen() {
        return (PairSelection.Chosen) selector.select(registry);
    }
}
