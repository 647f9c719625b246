package io.minilb.simulator.generation;

/**
 * Where a request item's KV rendezvous happens, from its {@code bootstrap_*} fields.
 *
 * @param port null when the request said {@code null}: the decode then uses its configured default
 */
public record BootstrapTarget(String host, Integer port, long room) {
}
