package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Objects;

/**
 * Requests whose prompts start alike go to the same worker: the first {@code prefixTokenCount} tokens (or, for a
 * text prompt, about four characters a token) are hashed onto a consistent-hash ring. A worker loaded beyond
 * {@link #LOAD_FACTOR} times the average gives way to the least loaded: affinity must not pile a hot prefix onto one
 * worker. Cheaper than {@link CacheAwareSelection} (no tree), coarser (one prefix length).
 */
public final class PrefixHashSelection implements SelectionPolicy {

    /** SGLang's router default for {@code --prefix-hash-load-factor}. */
    static final double LOAD_FACTOR = 1.25;
    private static final int CHARS_PER_TOKEN = 4;

    private final RingCache ring = new RingCache();
    private final int prefixTokenCount;
    private final RandomSource random;

    public PrefixHashSelection(int prefixTokenCount, RandomSource random) {
        if (prefixTokenCount < 1) {
            throw new IllegalArgumentException("prefixTokenCount must be at least 1, got " + prefixTokenCount);
        }
        this.prefixTokenCount = prefixTokenCount;
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        int limit = context.hasTokens() ? prefixTokenCount : prefixTokenCount * CHARS_PER_TOKEN;
        if (context.promptLength() == 0) {
            return LeastLoadSelection.leastLoaded(candidates, random);
        }
        C home = ring.workerFor(candidates, HashRing.hashPrompt(context, limit) ^ (context.hasTokens() ? 1 : 0));
        long total = 0;
        for (C candidate : candidates) {
            total += candidate.inFlight();
        }
        // The +1 counts the request being routed, so an idle pool never counts as overloaded.
        double threshold = (total + 1) / (double) candidates.size() * LOAD_FACTOR;
        return home.inFlight() <= threshold ? home : LeastLoadSelection.leastLoaded(candidates, random);
    }
}
