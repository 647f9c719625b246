package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.minilb.application.admin.ClusterAdmin;
import io.minilb.application.generation.RouteGeneration;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.Topology;
import io.minilb.domain.room.RoomAllocator;
import io.minilb.domain.selection.PairSelector;

/** The use cases, over the configured topology. */
public final class ApplicationModule extends AbstractModule {

    @Provides
    @Singleton
    Topology topology(MiniLbConfig config) {
        return config.topology();
    }

    @Provides
    @Singleton
    ServingState servingState() {
        return new ServingState();
    }

    @Provides
    @Singleton
    MemoryBudget memoryBudget(MiniLbConfig config) {
        return new MemoryBudget(config.limits().effectiveMaxBufferedBytes());
    }

    @Provides
    @Singleton
    RouteGenerationUseCase routeGeneration(
            Topology topology, PairSelector pairs, RoomAllocator rooms, InferenceBackend backend, ServingState state) {
        return new RouteGeneration(topology, pairs, rooms, backend, state, MonotonicClock.SYSTEM);
    }

    @Provides
    @Singleton
    ClusterAdminUseCase clusterAdmin(Topology topology, WorkerAdminClient client) {
        return new ClusterAdmin(topology, client);
    }
}
