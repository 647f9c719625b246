package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import io.minilb.bootstrap.config.MiniLbConfig;

/** The whole of mini-lb for one configuration. */
public final class MiniLbModule extends AbstractModule {

    private final MiniLbConfig config;

    public MiniLbModule(MiniLbConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        bind(MiniLbConfig.class).toInstance(config);
        install(new PolicyModule());
        install(new ApplicationModule());
        install(new HttpAdaptersModule());
        install(new DiscoveryModule());
    }
}
