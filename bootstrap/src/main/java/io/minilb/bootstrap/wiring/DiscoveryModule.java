package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minilb.adapters.in.kubernetes.KubernetesWorkerDiscovery;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.bootstrap.config.Discovery;
import io.minilb.bootstrap.config.MiniLbConfig;
import java.util.Optional;

/** Kubernetes service discovery, when enabled: it drives the worker use case, as the worker API does. */
public final class DiscoveryModule extends AbstractModule {

    /** Not started here: {@code MiniLb} starts it once it listens, and closes it first when it stops. */
    @Provides
    @Singleton
    Optional<KubernetesWorkerDiscovery> discovery(MiniLbConfig config, ManageWorkersUseCase workers) {
        Discovery discovery = config.discovery();
        if (!discovery.enabled()) {
            return Optional.empty();
        }
        KubernetesClientBuilder client = new KubernetesClientBuilder();
        discovery.clientConfig().ifPresent(client::withConfig);
        return Optional.of(new KubernetesWorkerDiscovery(client.build(), discovery.settings(), workers));
    }
}
