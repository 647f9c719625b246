package io.minilb.adapters.out.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the shared backend client connects and pools.
 *
 * @param maxConnectionsPerRoute every streaming generation holds one connection to its prefill
 *     and one to its decode for its whole life, so this bounds concurrent generations per server
 * @param maxConnectionsTotal the bound over all servers
 */
public record BackendClientSettings(Duration connectTimeout, int maxConnectionsPerRoute, int maxConnectionsTotal) {

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

    public static BackendClientSettings defaults() {
        return new BackendClientSettings(Duration.ofSeconds(5), 10_000, 100_000);
    }
}
