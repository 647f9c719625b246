package io.minilb.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The decisions of {@link RoutingDecisionBenchmarks} timed in thread CPU time: on a shared, loaded machine JMH's wall
 * time counts the time the benchmark thread waits for a core, this does not. Prints the median and the best of 7
 * runs of 50,000 decisions, after 100,000 of warm-up. Runs on the test class path of integration-tests.
 */
public final class RoutingDecisionCpuTime {

    private static final int WARM_UP = 100_000;
    private static final int RUNS = 7;
    private static final int DECISIONS = 50_000;

    private RoutingDecisionCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var benchmarks = new RoutingDecisionBenchmarks();
        benchmarks.setUp();
        time("cache_aware", benchmarks::cacheAware, threads);
        time("prefix_hash", benchmarks::prefixHash, threads);
    }

    private static void time(String policy, Runnable decision, ThreadMXBean threads) {
        for (int i = 0; i < WARM_UP; i++) {
            decision.run();
        }
        double[] nanos = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < DECISIONS; i++) {
                decision.run();
            }
            nanos[run] = (threads.getCurrentThreadCpuTime() - start) / (double) DECISIONS;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%s: %.0f ns of CPU per decision (median of %d runs), best %.0f%n", policy,
                nanos[RUNS / 2], RUNS, nanos[0]);
    }
}
