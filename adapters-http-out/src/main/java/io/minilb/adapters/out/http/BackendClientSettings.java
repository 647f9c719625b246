package io.minilb.adapters.out.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the shared backend client connects and pools.
 *
 * <p>When a server's connections are all in use, a request waits for one at most the connect
 * timeout, and then fails as {@code overloaded}: no request waits on the pool forever.
 *
 * @param connectTimeout bounds both the wait for a free connection in the pool and the TCP connect
 * @param maxConnectionsPerRoute every streaming generation holds one connection to its prefill
 *     and one to its decode for its whole life, so this bounds concurrent generations per server
 * @param maxConnectionsTotal the bound over all servers
 */
public record BackendClientSettings(Duration connectTimeout, int maxConnectionsPerRoute, int maxConnectionsTotal) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Connections beyond the generations' own, for admin calls and health checks. */
    static final int ADMIN_HEADROOM = 64;
    /** The client connections {@link #defaults} is sized for. */
    static final int DEFAULT_CLIENT_CONNECTIONS = 10_000;

    public BackendClientSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
        if (maxConnectionsPerRoute < 1) {
            throw new IllegalArgumentException("max connections per route must be at least 1, got " + maxConnectionsPerRoute);
        }
        if (maxConnectionsTotal < maxConnectionsPerRoute) {
            throw new IllegalArgumentException("max connections in total (" + maxConnectionsTotal
                    + ") must be at least the max per route (" + maxConnectionsPerRoute + ")");
        }
    }

    /**
     * Limits for a server that accepts at most {@code maxClientConnections} client connections. Each
     * carries one generation at a time, which holds one connection to its prefill and one to its
     * decode: one server never needs more than the client cap, all of them together no more than
     * twice it; both get {@link #ADMIN_HEADROOM} on top, so admin calls and health checks still find
     * a connection when every client is generating.
     */
    public static BackendClientSettings forClientConnections(int maxClientConnections) {
        if (maxClientConnections < 1) {
            throw new IllegalArgumentException("max client connections must be at least 1, got " + maxClientConnections);
        }
        return new BackendClientSettings(DEFAULT_CONNECT_TIMEOUT,
                Math.addExact(maxClientConnections, ADMIN_HEADROOM),
                Math.addExact(Math.multiplyExact(2, maxClientConnections), ADMIN_HEADROOM));
    }

    public static BackendClientSettings defaults() {
        return forClientConnections(DEFAULT_CLIENT_CONNECTIONS);
    }
}
