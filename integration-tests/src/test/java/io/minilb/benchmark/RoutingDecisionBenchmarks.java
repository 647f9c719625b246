package io.minilb.benchmark;

import io.minilb.domain.MonotonicClock;
import io.minilb.domain.ThreadLocalRandomSource;
import io.minilb.domain.selection.CacheAwareSelection;
import io.minilb.domain.selection.CacheAwareSettings;
import io.minilb.domain.selection.ConsistentHashSelection;
import io.minilb.domain.selection.LeastLoadSelection;
import io.minilb.domain.selection.PowerOfTwoSelection;
import io.minilb.domain.selection.PrefixHashSelection;
import io.minilb.domain.selection.RoutingContext;
import io.minilb.domain.worker.WorkerLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision at 16 workers, for 2,000-token prompts (8,000 characters: the routing context's limit): 64
 * documents asked in turn, each request a new question. cache_aware's tree reaches its steady state (trimmed at
 * twice the per-worker maximum) during warm-up. integration-tests/benchmark/jmh.sh Routing runs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 1)
public class RoutingDecisionBenchmarks {

    private static final int WORKERS = 16;
    private static final int DOCUMENTS = 64;
    private static final int PROMPTS = 1024;

    private List<Worker> workers;
    private RoutingContext[] prompts;
    private RoutingContext[] keys;
    private int next;
    private CacheAwareSelection cacheAware;
    private ConsistentHashSelection consistentHash;
    private PrefixHashSelection prefixHash;
    private PowerOfTwoSelection powerOfTwo;
    private LeastLoadSelection leastLoad;

    /** A candidate with a fixed load, so the decision is all that is measured. */
    private record Worker(String id, String url, int inFlight) implements WorkerLoad {
    }

    @Setup
    public void setUp() {
        workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(new Worker("worker-" + w, "http://10.0.0." + w + ":30000", w % 3));
        }
        prompts = new RoutingContext[PROMPTS];
        keys = new RoutingContext[PROMPTS];
        for (int p = 0; p < PROMPTS; p++) {
            StringBuilder text = new StringBuilder();
            int document = p % DOCUMENTS;
            while (text.length() < RoutingContext.MAX_PROMPT_LENGTH - 200) {
                text.append("doc").append(document).append(" word").append(text.length()).append(' ');
            }
            text.append("question ").append(p).append(" ").append("x".repeat(150));
            prompts[p] = RoutingContext.ofText(Optional.empty(), text.toString());
            keys[p] = RoutingContext.ofText(Optional.of("session-" + p), "");
        }
        var random = new ThreadLocalRandomSource();
        cacheAware = new CacheAwareSelection(new CacheAwareSettings(0.3, 64, 1.5, 1 << 20), random,
                MonotonicClock.SYSTEM);
        consistentHash = new ConsistentHashSelection(random);
        prefixHash = new PrefixHashSelection(256, random);
        powerOfTwo = new PowerOfTwoSelection(random);
        leastLoad = new LeastLoadSelection(random);
    }

    private int nextIndex() {
        next = (next + 1) & (PROMPTS - 1);
        return next;
    }

    @Benchmark
    public WorkerLoad cacheAware() {
        return cacheAware.select(workers, prompts[nextIndex()]);
    }

    @Benchmark
    public WorkerLoad prefixHash() {
        return prefixHash.select(workers, prompts[nextIndex()]);
    }

    @Benchmark
    public WorkerLoad consistentHashing() {
        return consistentHash.select(workers, keys[nextIndex()]);
    }

    @Benchmark
    public WorkerLoad powerOfTwo() {
        return powerOfTwo.select(workers, prompts[nextIndex()]);
    }

    @Benchmark
    public WorkerLoad leastLoad() {
        return leastLoad.select(workers, prompts[nextIndex()]);
    }
}
