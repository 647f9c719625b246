package io.minilb.simulator.generation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prefill's prefix cache, as SGLang's radix cache behaves seen from outside: the longest prefix of a prompt computed
 * before (in whole pages of {@link #PAGE_TOKENS} tokens) is reused, and the least recently used pages are dropped
 * once it holds {@code capacityTokens}. A page is known by the hash of the whole prompt up to its end, so a page only
 * matches after the same prefix. Thread-safe.
 */
public final class PrefixCache {

    static final int PAGE_TOKENS = 16;

    private final int capacityPages;
    /** Access-ordered: the eldest entry is the least recently used page. */
    private final LinkedHashMap<Long, Boolean> pages;

    /** @param capacityTokens tokens held at most; 0 turns the cache off */
    public PrefixCache(int capacityTokens) {
        if (capacityTokens < 0) {
            throw new IllegalArgumentException("capacityTokens must be >= 0, got " + capacityTokens);
        }
        this.capacityPages = capacityTokens / PAGE_TOKENS;
        this.pages = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacityPages;
            }
        };
    }

    /** Tokens of the prompt found in the cache; the prompt's pages are then cached (or refreshed). */
    public synchronized int computeAndCache(List<Integer> promptIds) {
        if (capacityPages == 0) {
            return 0;
        }
        long[] keys = pageKeys(promptIds);
        int cachedPages = 0;
        while (cachedPages < keys.length && pages.containsKey(keys[cachedPages])) {
            cachedPages++;
        }
        // Longest prefix first, so that a prompt's first pages are the most recently used and outlive its last.
        for (int i = keys.length - 1; i >= 0; i--) {
            pages.put(keys[i], Boolean.TRUE);
        }
        return cachedPages * PAGE_TOKENS;
    }

    synchronized int cachedTokens() {
        return pages.size() * PAGE_TOKENS;
    }

    private static long[] pageKeys(List<Integer> promptIds) {
        long[] keys = new long[promptIds.size() / PAGE_TOKENS];
        long hash = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < keys.length * PAGE_TOKENS; i++) {
            hash = (hash ^ promptIds.get(i)) * 0x100000001B3L;
            if ((i + 1) % PAGE_TOKENS == 0) {
                keys[i / PAGE_TOKENS] = hash;
            }
        }
        return keys;
    }
}
