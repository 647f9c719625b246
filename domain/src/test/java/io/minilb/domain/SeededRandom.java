package io.minilb.domain;

import java.util.SplittableRandom;

/** A deterministic random source for tests. */
public final class SeededRandom implements RandomSource {

    private final SplittableRandom random;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized long nextLong() {
        return random.nextLong();
    }
}
