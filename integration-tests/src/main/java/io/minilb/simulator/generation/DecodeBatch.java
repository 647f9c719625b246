package io.minilb.simulator.generation;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A decode's running batch, as it shows in latency: up to {@code batchSize} concurrent requests decode at the base
 * per-token latency; beyond it each token takes longer in proportion (twice the batch size, twice the latency), since
 * the server steps through the requests in batches. Thread-safe.
 */
public final class DecodeBatch {

    private final int batchSize;
    private final AtomicInteger running = new AtomicInteger();

    /** @param batchSize concurrent requests decoded at full speed; 0 turns the model off */
    public DecodeBatch(int batchSize) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    void join() {
        running.incrementAndGet();
    }

    void leave() {
        running.decrementAndGet();
    }

    int running() {
        return running.get();
    }

    /** The per-token latency now, for a base latency of {@code msPerToken}. */
    double msPerToken(double msPerToken) {
        int now = running.get();
        return batchSize == 0 || now <= batchSize ? msPerToken : msPerToken * now / batchSize;
    }
}
