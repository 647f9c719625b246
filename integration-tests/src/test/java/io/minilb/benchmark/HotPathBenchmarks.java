package io.minilb.benchmark;

import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.ThreadLocalRandomSource;

import io.minilb.domain.room.RandomRoomAllocator;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RandomSelection;
import io.minilb.domain.selection.RoundRobinSelection;
import java.util.ArrayList;
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

    private Topology topology;
    private PairSelector random;
    private PairSelector roundRobin;
    private RandomRoomAllocator rooms;

    @Setup
    public void setUp() {
        List<PrefillWorker> prefills = new ArrayList<>();
        List<DecodeWorker> decodes = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            prefills.add(new PrefillWorker("http://10.0.0." + (i + 1) + ":30000", OptionalInt.of(8998)));
            decodes.add(new DecodeWorker("http://10.0.1." + (i + 1) + ":30000"));
        }
        topology = new Topology(prefills, decodes);
        random = new PairSelector(new RandomSelection(new ThreadLocalRandomSource()), new RandomSelection(new ThreadLocalRandomSource()));
        roundRobin = new PairSelector(new RoundRobinSelection(), new RoundRobinSelection());
        rooms = new RandomRoomAllocator(new ThreadLocalRandomSource());
    }

    @Benchmark
    public BackendPair selectPairRandom() {
        return random.select(topology);
    }

    @Benchmark
    public BackendPair selectPairRoundRobin() {
        return roundRobin.select(topology);
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
