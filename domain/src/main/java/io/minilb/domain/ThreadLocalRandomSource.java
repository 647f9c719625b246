package io.minilb.domain;

import java.util.concurrent.ThreadLocalRandom;

/** The production random source: contention-free across request threads. */
public final class ThreadLocalRandomSource implements RandomSource {

    @Override
    public long nextLong() {
        return ThreadLocalRandom.current().nextLong();
    }
}
