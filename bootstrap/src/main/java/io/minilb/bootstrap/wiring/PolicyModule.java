package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.ProvidesIntoMap;
import com.google.inject.multibindings.StringMapKey;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.RandomSource;
import io.minilb.domain.ThreadLocalRandomSource;
import io.minilb.domain.room.RandomRoomAllocator;
import io.minilb.domain.room.RoomAllocator;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RandomSelection;
import io.minilb.domain.selection.RoundRobinSelection;
import io.minilb.domain.selection.SelectionPolicy;
import java.util.Map;

/**
 * The selection policies by configuration name. A new policy is one more {@code @ProvidesIntoMap}
 * method. The policies are unscoped, so prefill and decode each get their own instance.
 */
public final class PolicyModule extends AbstractModule {

    @Provides
    @Singleton
    RandomSource randomSource() {
        return new ThreadLocalRandomSource();
    }

    @ProvidesIntoMap
    @StringMapKey("random")
    SelectionPolicy random(RandomSource random) {
        return new RandomSelection(random);
    }

    @ProvidesIntoMap
    @StringMapKey("round_robin")
    SelectionPolicy roundRobin() {
        return new RoundRobinSelection();
    }

    @Provides
    @Singleton
    RoomAllocator roomAllocator(RandomSource random) {
        return new RandomRoomAllocator(random);
    }

    @Provides
    @Singleton
    PairSelector pairSelector(Map<String, Provider<SelectionPolicy>> policies, MiniLbConfig config) {
        return new PairSelector(
                policy(policies, config.prefillPolicy(), "--prefill-policy"),
                policy(policies, config.decodePolicy(), "--decode-policy"));
    }

    private static SelectionPolicy policy(Map<String, Provider<SelectionPolicy>> policies, String name, String flag) {
        Provider<SelectionPolicy> policy = policies.get(name);
        if (policy == null) {
            throw new InvalidConfigurationException(PolicyNames.unknown(name, flag + " (or --policy)"));
        }
        return policy.get();
    }
}
