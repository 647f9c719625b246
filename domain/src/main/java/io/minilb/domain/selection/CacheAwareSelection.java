package io.minilb.domain.selection;

import io.minilb.domain.MonotonicClock;
import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Sends a prompt to the worker that was last sent the longest prefix of it, where that prefix is probably still in
 * the worker's cache: an approximate radix tree per worker of the prompts routed to it. A prompt matching less than
 * the cache threshold goes to the least loaded worker, and so does every prompt while the pool is imbalanced, so that
 * affinity never piles requests onto one worker. As SGLang's router's {@code cache_aware}.
 *
 * <p>Memory: {@link #evict()} (run periodically) trims each worker's prefixes to {@code maxTreeSize}, least recently
 * used first, and forgets workers that were not candidates since the previous run (removed from the pool); between
 * runs a worker's prefixes are trimmed as soon as they reach twice {@code maxTreeSize}, so the tree never holds more
 * than that whatever the traffic. Thread-safe: decisions are serialized, each costs one walk down the tree along the
 * prompt, read in place.
 */
public final class CacheAwareSelection implements SelectionPolicy {

    private final CacheAwareSettings settings;
    private final RandomSource random;
    private final MonotonicClock clock;
    private final ApproximatePrefixTree tree = new ApproximatePrefixTree();
    /**
     * The decision at which each worker was last a candidate: tells the candidates among the tree's tenants without a
     * set built per decision, and the workers gone since the last eviction. Guarded by this; holds the workers that
     * were candidates since the last eviction.
     */
    private final Map<String, long[]> lastCandidate = new HashMap<>();
    private final Predicate<String> isCandidate = this::isCandidate;
    private long decision;
    private long decisionAtEviction;

    public CacheAwareSelection(CacheAwareSettings settings, RandomSource random, MonotonicClock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        decision++;
        for (C candidate : candidates) {
            lastCandidate.computeIfAbsent(candidate.id(), id -> new long[1])[0] = decision;
        }
        PromptKey key = new PromptKey(context);
        if (key.hasPrompt()) {
            tree.walk(key);
        }
        C chosen = isImbalanced(candidates) || !key.hasPrompt() ? LeastLoadSelection.leastLoaded(candidates, random)
                : byCache(candidates, key);
        if (key.hasPrompt()) {
            tree.insert(chosen.id(), clock.nanoTime());
            if (tree.size(chosen.id()) >= 2L * settings.maxTreeSize()) {
                tree.evict(chosen.id(), settings.maxTreeSize());
            }
        }
        return chosen;
    }

    /** Trims every worker's prefixes to the maximum size and forgets the workers gone since the last run. */
    public synchronized void evict() {
        // No traffic at all since the last run says nothing about which workers are still there.
        boolean traffic = decision > decisionAtEviction;
        for (String tenant : tree.tenants()) {
            if (traffic && !wasCandidateSinceEviction(tenant)) {
                tree.remove(tenant);
            } else {
                tree.evict(tenant, settings.maxTreeSize());
            }
        }
        if (traffic) {
            lastCandidate.values().removeIf(last -> last[0] <= decisionAtEviction);
        }
        decisionAtEviction = decision;
    }

    /** Characters (or tokens) of prefixes held for this worker. */
    public synchronized long treeSize(String workerId) {
        return tree.size(workerId);
    }

    private <C extends WorkerLoad> C byCache(List<C> candidates, PromptKey key) {
        ApproximatePrefixTree.Match match = tree.match(isCandidate);
        // The mark is not the prompt: a match of it alone is no match.
        double rate = Math.max(0, match.length() - 1) / (double) (key.length() - 1);
        Optional<String> tenant = match.tenant();
        if (rate > settings.cacheThreshold() && tenant.isPresent()) {
            for (C candidate : candidates) {
                if (candidate.id().equals(tenant.get())) {
                    return candidate;
                }
            }
        }
        return LeastLoadSelection.leastLoaded(candidates, random);
    }

    private boolean isCandidate(String workerId) {
        long[] last = lastCandidate.get(workerId);
        return last != null && last[0] == decision;
    }

    private boolean wasCandidateSinceEviction(String workerId) {
        long[] last = lastCandidate.get(workerId);
        return last != null && last[0] > decisionAtEviction;
    }

    private boolean isImbalanced(List<? extends WorkerLoad> candidates) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (WorkerLoad candidate : candidates) {
            min = Math.min(min, candidate.inFlight());
            max = Math.max(max, candidate.inFlight());
        }
        return max - min > settings.balanceAbsThreshold() && max > settings.balanceRelThreshold() * min;
    }
}
