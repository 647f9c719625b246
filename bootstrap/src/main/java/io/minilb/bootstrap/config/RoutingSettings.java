package io.minilb.bootstrap.config;

import io.minilb.domain.selection.CacheAwareSettings;
import io.minilb.domain.selection.PrefixHashSelection;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the prompt- and load-aware policies, with SGLang's router's flag names and defaults except
 * {@code --max-tree-size} (see {@link #DEFAULT_MAX_TREE_SIZE}).
 *
 * @param cacheAware {@code --cache-threshold}, {@code --balance-abs-threshold}, {@code --balance-rel-threshold},
 *     {@code --max-tree-size}
 * @param evictionInterval {@code --eviction-interval}: how often cache_aware trims its tree and forgets removed workers
 * @param prefixTokenCount {@code --prefix-token-count}: tokens prefix_hash hashes
 * @param prefixHashLoadFactor {@code --prefix-hash-load-factor}: load, relative to the average, beyond which
 *     prefix_hash sends a prompt to the least loaded worker instead of its own
 */
public record RoutingSettings(
        CacheAwareSettings cacheAware, Duration evictionInterval, int prefixTokenCount, double prefixHashLoadFactor) {

    public static final double DEFAULT_CACHE_THRESHOLD = 0.3;
    public static final int DEFAULT_BALANCE_ABS_THRESHOLD = 64;
    public static final double DEFAULT_BALANCE_REL_THRESHOLD = 1.5;
    public static final Duration DEFAULT_EVICTION_INTERVAL = Duration.ofSeconds(120);
    /**
     * Characters (or tokens) of prompt prefixes remembered per worker: about 500 distinct 2,000-token prompts, a few
     * tens of MB per worker at worst on the JVM. SGLang's router's 67,108,864 would let the tree take gigabytes.
     */
    public static final int DEFAULT_MAX_TREE_SIZE = 1 << 20;
    public static final int DEFAULT_PREFIX_TOKEN_COUNT = 256;
    public static final double DEFAULT_PREFIX_HASH_LOAD_FACTOR = PrefixHashSelection.DEFAULT_LOAD_FACTOR;

    public RoutingSettings {
        Objects.requireNonNull(cacheAware, "cacheAware");
        Objects.requireNonNull(evictionInterval, "evictionInterval");
        if (evictionInterval.isNegative() || evictionInterval.isZero()) {
            throw new IllegalArgumentException("--eviction-interval must be at least 1 second, got "
                    + evictionInterval.toSeconds());
        }
        if (prefixTokenCount < 1) {
            throw new IllegalArgumentException("--prefix-token-count must be at least 1, got " + prefixTokenCount);
        }
        if (!(prefixHashLoadFactor >= 1)) {
            throw new IllegalArgumentException("--prefix-hash-load-factor must be at least 1, got "
                    + prefixHashLoadFactor);
        }
    }

    /** With SGLang's router's prefix_hash load factor. */
    public RoutingSettings(CacheAwareSettings cacheAware, Duration evictionInterval, int prefixTokenCount) {
        this(cacheAware, evictionInterval, prefixTokenCount, DEFAULT_PREFIX_HASH_LOAD_FACTOR);
    }

    public static RoutingSettings defaults() {
        return new RoutingSettings(
                new CacheAwareSettings(DEFAULT_CACHE_THRESHOLD, DEFAULT_BALANCE_ABS_THRESHOLD,
                        DEFAULT_BALANCE_REL_THRESHOLD, DEFAULT_MAX_TREE_SIZE),
                DEFAULT_EVICTION_INTERVAL, DEFAULT_PREFIX_TOKEN_COUNT);
    }
}
