package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.ProvidesIntoMap;
import com.google.inject.multibindings.StringMapKey;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.RoutingSettings;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.RandomSource;
import io.minilb.domain.ThreadLocalRandomSource;
import io.minilb.domain.room.RandomRoomAllocator;
import io.minilb.domain.room.RoomAllocator;
import io.minilb.domain.selection.CacheAwareSelection;
import io.minilb.domain.selection.ConsistentHashSelection;
import io.minilb.domain.selection.LeastLoadSelection;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.PowerOfTwoSelection;
import io.minilb.domain.selection.PrefixHashSelection;
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

    @ProvidesIntoMap
    @StringMapKey("power_of_two")
    SelectionPolicy powerOfTwo(RandomSource random) {
        return new PowerOfTwoSelection(random);
    }

    @ProvidesIntoMap
    @StringMapKey("least_load")
    SelectionPolicy leastLoad(RandomSource random) {
        return new LeastLoadSelection(random);
    }

    @ProvidesIntoMap
    @StringMapKey("consistent_hashing")
    SelectionPolicy consistentHashing(RandomSource random) {
        return new ConsistentHashSelection(random);
    }

    @ProvidesIntoMap
    @StringMapKey("prefix_hash")
    SelectionPolicy prefixHash(RandomSource random, MiniLbConfig config) {
        return new PrefixHashSelection(config.routing().prefixTokenCount(), config.routing().prefixHashLoadFactor(),
                random);
    }

    /** Only built when a side uses it, so that its trims run only then. */
    @ProvidesIntoMap
    @StringMapKey("cache_aware")
    SelectionPolicy cacheAware(RandomSource random, MiniLbConfig config) {
        RoutingSettings routing = config.routing();
        var policy = new CacheAwareSelection(routing.cacheAware(), random, MonotonicClock.SYSTEM);
        PeriodicEviction.start(policy, new SharedDelayScheduler(), routing.evictionInterval());
        return policy;
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
