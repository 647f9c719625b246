package io.minilb.bootstrap.config;

import io.fabric8.kubernetes.client.Config;
import io.minilb.adapters.in.kubernetes.DiscoverySettings;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes service discovery ({@code --service-discovery} and its flags).
 *
 * @param clientConfig how to reach the API server; empty: from the environment (the pod's service account in a
 *     cluster, else the kubeconfig), as {@code kubectl} finds it
 */
public record Discovery(boolean enabled, DiscoverySettings settings, Optional<Config> clientConfig) {

    public Discovery {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clientConfig, "clientConfig");
        if (enabled && settings.prefillSelector().isEmpty() && settings.decodeSelector().isEmpty()) {
            throw new InvalidConfigurationException(
                    "--service-discovery needs --prefill-selector or --decode-selector (KEY=VALUE ...)");
        }
    }

    public static Discovery disabled() {
        return new Discovery(false,
                new DiscoverySettings(Optional.empty(), DiscoverySettings.DEFAULT_PORT, Map.of(), Map.of()),
                Optional.empty());
    }

    public static Discovery enabled(DiscoverySettings settings) {
        return new Discovery(true, settings, Optional.empty());
    }

    /** Reach this API server instead of the one the environment names (embedding, tests). */
    public Discovery withClientConfig(Config config) {
        return new Discovery(enabled, settings, Optional.of(config));
    }

    /** True when discovery may find workers of this side: it is on and the side has a selector. */
    public boolean discoversPrefills() {
        return enabled && !settings.prefillSelector().isEmpty();
    }

    public boolean discoversDecodes() {
        return enabled && !settings.decodeSelector().isEmpty();
    }
}
