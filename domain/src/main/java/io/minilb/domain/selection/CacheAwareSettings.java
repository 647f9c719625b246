package io.minilb.domain.selection;

/**
 * Tuning of {@link CacheAwareSelection}, with SGLang's router names.
 *
 * @param cacheThreshold share of the prompt (0 to 1) that must match a worker's routed prefixes for the request to
 *     follow them; below it the request goes to the least loaded worker
 * @param balanceAbsThreshold the pool is imbalanced when the most and least loaded differ by more than this
 * @param balanceRelThreshold ... and the most loaded has more than this times the least loaded's requests
 * @param maxTreeSize characters (or tokens) of prefixes remembered per worker once evicted
 */
public record CacheAwareSettings(
        double cacheThreshold, int balanceAbsThreshold, double balanceRelThreshold, int maxTreeSize) {

    public CacheAwareSettings {
        if (!(cacheThreshold >= 0 && cacheThreshold <= 1)) {
            throw new IllegalArgumentException("cacheThreshold must be within [0, 1], got " + cacheThreshold);
        }
        if (balanceAbsThreshold < 0) {
            throw new IllegalArgumentException("balanceAbsThreshold must be >= 0, got " + balanceAbsThreshold);
        }
        if (!(balanceRelThreshold >= 1)) {
            throw new IllegalArgumentException("balanceRelThreshold must be >= 1, got " + balanceRelThreshold);
        }
        if (maxTreeSize < 1) {
            throw new IllegalArgumentException("maxTreeSize must be >= 1, got " + maxTreeSize);
        }
    }
}
