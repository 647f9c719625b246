package io.minilb.benchmark;

import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.ThreadLocalRandomSource;
import io.minilb.domain.room.RandomRoomAllocator;
import io.minilb.domain.selection.PairSelection;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RandomSelection;
import io.minilb.domain.selection.RoundRobinSelection;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request hot paths of the domain reachable through public API: pair selection and room allocation.
 * (Body injection, logprob merge and SSE frame scanning are benchmarked in their adapters' packages:
 * BodyInjectionBenchmark, LogprobMergeBenchmark, SseScanBenchmark.) Short on purpose: 1 fork, 3 x 1 s warm-up,
 * 3 x 1 s measurement. integration-tests/benchmark/jmh.sh runs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class HotPathBenchmarks {

    /** Servers per side. */
    @Param({"1", "8"})
    public int workers;

    private WorkerRegistry registry;
    private PairSelector random;
    private PairSelector roundRobin;
    private RandomRoomAllocator rooms;

    @Setup
    public void setUp() {
        registry = new WorkerRegistry(
                new CircuitBreakerSettings(true, 3, 2, Duration.ofSeconds(10), Duration.ofSeconds(120)),
                new HealthThresholds(3, 2), MonotonicClock.SYSTEM);
        for (int i = 0; i < workers; i++) {
            registry.addPrefill(new PrefillWorker("http://10.0.0." + (i + 1) + ":30000", OptionalInt.of(8998)),
                    WorkerOrigin.CONFIGURATION, true);
            registry.addDecode(new DecodeWorker("http://10.0.1." + (i + 1) + ":30000"), WorkerOrigin.CONFIGURATION,
                    true);
        }
        random = new PairSelector(new RandomSelection(new ThreadLocalRandomSource()), new RandomSelection(new ThreadLocalRandomSource()));
        roundRobin = new PairSelector(new RoundRobinSelection(), new RoundRobinSelection());
        rooms = new RandomRoomAllocator(new ThreadLocalRandomSource());
    }

    /** Choosing among the available workers, counting the request in on both and out again. */
    @Benchmark
    public PairSelection selectPairRandom() {
        return countedOut(random.select(registry));
    }

    @Benchmark
    public PairSelection selectPairRoundRobin() {
        return countedOut(roundRobin.select(registry));
    }

    private static PairSelection countedOut(PairSelection selection) {
        var chosen = (PairSelection.Chosen) selection;
        chosen.prefill().finish();
        chosen.decode().finish();
        return selection;
    }

    @Benchmark
    public List<BootstrapRoom> allocateOneRoom() {
        return rooms.allocate(1);
    }

    /** A batch request (e.g. {@code "text": [8 prompts]}) needs distinct rooms. */
    @Benchmark
    public List<BootstrapRoom> allocateEightRooms() {
        return rooms.allocate(8);
    }
}
