package io.minilb.domain.selection;

import io.minilb.domain.MonotonicClock;
import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Sends a prompt to the worker that was last sent the longest prefix of it, where that prefix is probably still in
 * the worker's cache: an approximate radix tree per worker of the prompts routed to it. A prompt matching less than
 * the cache threshold goes to the least loaded worker, and so does every prompt while the pool is imbalanced, so that
 * affinity never piles requests onto one worker. As SGLang's router's {@code cache_aware}.
 *
 * <p>Memory: {@link #evict()} (run periodically) trims each worker's prefixes to {@code maxTreeSize}, least recently
 * used first, and forgets workers that were not candidates since the previous run (removed from the pool); between
 * runs a worker's prefixes are trimmed as soon as they reach twice {@code maxTreeSize}, so the tree never holds more
 * than that whatever the traffic. Thread-safe: decisions are serialized, each costs a walk down one prompt.
 */
public final class CacheAwareSelection implements SelectionPolicy {

    /** Keeps token-id and text prompts apart in the one tree: no prompt of one kind shares a prefix with the other. */
    private static final int TOKENS_MARK = -1;
    private static final int TEXT_MARK = -2;

    private final CacheAwareSettings settings;
    private final RandomSource random;
    private final MonotonicClock clock;
    private final ApproximatePrefixTree tree = new ApproximatePrefixTree();
    /** Ids of the workers that were candidates since the last eviction; guarded by this. */
    private final Set<String> seen = new HashSet<>();

    public CacheAwareSelection(CacheAwareSettings settings, RandomSource random, MonotonicClock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        Set<String> ids = new HashSet<>();
        for (C candidate : candidates) {
            ids.add(candidate.id());
        }
        seen.addAll(ids);
        int[] key = key(context);
        C chosen = isImbalanced(candidates) ? LeastLoadSelection.leastLoaded(candidates, random)
                : byCache(candidates, ids, key);
        if (key.length > 1) {
            tree.insert(key, chosen.id(), clock.nanoTime());
            if (tree.size(chosen.id()) >= 2L * settings.maxTreeSize()) {
                tree.evict(chosen.id(), settings.maxTreeSize());
            }
        }
        return chosen;
    }

    /** Trims every worker's prefixes to the maximum size and forgets the workers gone since the last run. */
    public synchronized void evict() {
        for (String tenant : tree.tenants()) {
            // No traffic at all since the last run says nothing about which workers are still there.
            if (!seen.isEmpty() && !seen.contains(tenant)) {
                tree.remove(tenant);
            } else {
                tree.evict(tenant, settings.maxTreeSize());
            }
        }
        seen.clear();
    }

    /** Characters (or tokens) of prefixes held for this worker. */
    public synchronized long treeSize(String workerId) {
        return tree.size(workerId);
    }

    private <C extends WorkerLoad> C byCache(List<C> candidates, Set<String> ids, int[] key) {
        ApproximatePrefixTree.Match match = tree.match(key, ids);
        // The mark is not the prompt: a match of it alone is no match.
        double rate = key.length <= 1 ? 0 : Math.max(0, match.length() - 1) / (double) (key.length - 1);
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

    private boolean isImbalanced(List<? extends WorkerLoad> candidates) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (WorkerLoad candidate : candidates) {
            min = Math.min(min, candidate.inFlight());
            max = Math.max(max, candidate.inFlight());
        }
        return max - min > settings.balanceAbsThreshold() && max > settings.balanceRelThreshold() * min;
    }

    private static int[] key(RoutingContext context) {
        int[] key = context.promptPrefix(RoutingContext.MAX_PROMPT_LENGTH, 1);
        key[0] = context.hasTokens() ? TOKENS_MARK : TEXT_MARK;
        return key;
    }
}
