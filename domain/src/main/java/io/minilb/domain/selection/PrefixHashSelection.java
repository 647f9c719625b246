package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Objects;

/**
 * Requests whose prompts start alike go to the same worker: the first {@code prefixTokenCount} tokens (or, for a
 * text prompt, about four characters a token) are hashed onto a consistent-hash ring. A worker loaded beyond the load
 * factor times the average gives way to the least loaded: affinity must not pile a hot prefix onto one worker. Cheaper than {@link CacheAwareSelection} (no tree), coarser (one prefix length).
 */
public final class PrefixHashSelection implements SelectionPolicy {

    /** SGLang's router default for {@code --prefix-hash-load-factor}. */
    public static final double DEFAULT_LOAD_FACTOR = 1.25;
    private static final int CHARS_PER_TOKEN = 4;

    private final RingCache ring = new RingCache();
    private final int prefixTokenCount;
    private final double loadFactor;
    private final RandomSource random;

    public PrefixHashSelection(int prefixTokenCount, RandomSource random) {
        this(prefixTokenCount, DEFAULT_LOAD_FACTOR, random);
    }

    /** @param loadFactor at least 1: below it, a pool evenly loaded would count its every worker as overloaded */
    public PrefixHashSelection(int prefixTokenCount, double loadFactor, RandomSource random) {
        if (prefixTokenCount < 1) {
            throw new IllegalArgumentException("prefixTokenCount must be at least 1, got " + prefixTokenCount);
        }
        if (!(loadFactor >= 1)) {
            throw new IllegalArgumentException("loadFactor must be at least 1, got " + loadFactor);
        }
        this.prefixTokenCount = prefixTokenCount;
        this.loadFactor = loadFactor;
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
        double threshold = (total + 1) / (double) candidates.size() * loadFactor;
        return home.inFlight() <= threshold ? home : LeastLoadSelection.leastLoaded(candidates, random);
    }
}
