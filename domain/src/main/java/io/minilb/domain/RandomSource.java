package io.minilb.domain;

/** Port for randomness, so policies are deterministic under test with a seeded source. */
@FunctionalInterface
public interface RandomSource {

    long nextLong();

    /** A value in [0, bound); the modulo bias over 2^64 is negligible for worker counts. */
    default int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }
}
