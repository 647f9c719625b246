package io.minilb.adapters.in.kubernetes;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which pods are workers, as SGLang's router selects them: a pod whose labels include every pair of a role's selector
 * is a worker of that role. An empty selector discovers no worker of its role (that side is configured statically).
 *
 * @param namespace the namespace watched; empty watches every namespace (which needs a ClusterRole)
 * @param port the worker's HTTP port on the pod's IP, unless the pod's {@value #WORKER_PORTS_ANNOTATION} annotation
 *     names its ports
 */
public record DiscoverySettings(
        Optional<String> namespace, int port, Map<String, String> prefillSelector, Map<String, String> decodeSelector) {

    /** The prefill's KV bootstrap port; without it the prefill's own default applies, as for a static prefill. */
    public static final String BOOTSTRAP_PORT_ANNOTATION = "sglang.ai/bootstrap-port";
    /** The worker ports of a pod that runs several servers (comma-separated), one worker each. */
    public static final String WORKER_PORTS_ANNOTATION = "smg.ai/worker-ports";
    /** SGLang's router's default for {@code --service-discovery-port}. */
    public static final int DEFAULT_PORT = 80;

    public DiscoverySettings {
        Objects.requireNonNull(namespace, "namespace");
        prefillSelector = Map.copyOf(prefillSelector);
        decodeSelector = Map.copyOf(decodeSelector);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--service-discovery-port " + port + " is outside 1-65535");
        }
    }
}
