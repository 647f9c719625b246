package io.minilb.adapters.out.http;

import java.util.Objects;
import org.apache.hc.core5.pool.ConnPoolControl;

/**
 * How many backend connections are open now, across every server: leased (carrying a request) and idle (pooled for
 * the next one). Read on demand, e.g. when metrics are scraped; each read takes the pool's lock briefly.
 */
public final class BackendConnections {

    private final ConnPoolControl<?> pool;

    public BackendConnections(ConnPoolControl<?> pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    public int leased() {
        return pool.getTotalStats().getLeased();
    }

    public int idle() {
        return pool.getTotalStats().getAvailable();
    }
}
