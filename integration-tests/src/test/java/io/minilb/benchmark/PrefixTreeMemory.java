package io.minilb.benchmark;

import io.minilb.domain.MonotonicClock;
import io.minilb.domain.ThreadLocalRandomSource;
import io.minilb.domain.selection.CacheAwareSelection;
import io.minilb.domain.selection.CacheAwareSettings;
import io.minilb.domain.selection.RoutingContext;
import io.minilb.domain.worker.WorkerLoad;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Heap held by cache_aware's tree at its bound: 16 workers sent distinct 8,000-character prompts (no shared prefix
 * beyond a few characters: the worst case for the tree) until each worker's share is at the trim threshold. Prints
 * the heap after a full GC before and after, per worker and per element. Args: max tree size (default 1048576),
 * prompts (default 8000).
 */
public final class PrefixTreeMemory {

    private record Worker(String id, String url, int inFlight) implements WorkerLoad {
    }

    private PrefixTreeMemory() {
    }

    public static void main(String[] args) {
        int maxTreeSize = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 8_000;
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            workers.add(new Worker("worker-" + w, "http://w" + w, 0));
        }
        long before = heapAfterGc();
        var policy = new CacheAwareSelection(new CacheAwareSettings(0.3, 64, 1.5, maxTreeSize),
                new ThreadLocalRandomSource(), MonotonicClock.SYSTEM);
        var random = new java.util.SplittableRandom(1);
        for (int p = 0; p < prompts; p++) {
            StringBuilder text = new StringBuilder(RoutingContext.MAX_PROMPT_LENGTH);
            while (text.length() < RoutingContext.MAX_PROMPT_LENGTH) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            policy.select(workers, RoutingContext.ofText(Optional.empty(), text.toString()));
        }
        long elements = workers.stream().mapToLong(w -> policy.treeSize(w.id())).sum();
        long held = heapAfterGc() - before;
        System.out.printf("max-tree-size %d, %d prompts of %d chars: %d elements held (bound: 16 x 2 x %d = %d), "
                + "%.1f MB heap, %.1f bytes per element%n", maxTreeSize, prompts, RoutingContext.MAX_PROMPT_LENGTH,
                elements, maxTreeSize, 32L * maxTreeSize, held / 1e6, held / (double) Math.max(1, elements));
        policy.evict();
        long trimmed = workers.stream().mapToLong(w -> policy.treeSize(w.id())).sum();
        System.out.printf("after a trim: %d elements, %.1f MB heap%n", trimmed, (heapAfterGc() - before) / 1e6);
        // Keeps the policy reachable until measured.
        System.out.println(policy.treeSize("worker-0") >= 0 ? "" : "?");
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
