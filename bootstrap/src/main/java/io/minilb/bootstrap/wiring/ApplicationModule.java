package io.minilb.bootstrap.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.minilb.application.admin.ClusterAdmin;
import io.minilb.application.admission.AdmissionControl;
import io.minilb.application.admission.AdmissionStats;
import io.minilb.application.generation.Retries;
import io.minilb.application.generation.RouteGeneration;
import io.minilb.application.generation.UnansweredAttempts;
import io.minilb.application.health.HealthCheckRounds;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.workers.ManageWorkers;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.application.port.out.WorkerProbe;
import io.minilb.bootstrap.ExecutorRoundScheduler;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.RandomSource;
import io.minilb.domain.room.RoomAllocator;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;

/** The use cases, over the live set of workers. */
public final class ApplicationModule extends AbstractModule {

    /**
     * The configured workers. They start healthy, so that mini-lb serves at once; with health checks enabled, the
     * first round (run before mini-lb listens) takes out those that fail it.
     */
    @Provides
    @Singleton
    WorkerRegistry workerRegistry(MiniLbConfig config) {
        WorkerResilience resilience = config.resilience();
        var registry = new WorkerRegistry(resilience.circuitBreaker(), resilience.health(), MonotonicClock.SYSTEM);
        for (PrefillWorker prefill : config.prefills()) {
            registry.addPrefill(prefill, WorkerOrigin.CONFIGURATION, true);
        }
        for (DecodeWorker decode : config.decodes()) {
            registry.addDecode(decode, WorkerOrigin.CONFIGURATION, true);
        }
        return registry;
    }

    /** Created whether or not health checks are enabled; its thread starts only with {@link HealthCheckRounds#start}. */
    @Provides
    @Singleton
    HealthCheckRounds healthCheckRounds(WorkerRegistry workers, WorkerProbe probe, MiniLbConfig config,
            UnansweredAttempts unanswered) {
        return new HealthCheckRounds(workers, probe, new ExecutorRoundScheduler("mini-lb-health-checks"),
                config.resilience().healthChecks().interval(), unanswered, MonotonicClock.SYSTEM);
    }

    @Provides
    @Singleton
    UnansweredAttempts unansweredAttempts() {
        return new UnansweredAttempts();
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

    /** Routing behind admission control: a request is routed, and its timeout starts, once it is admitted. */
    @Provides
    @Singleton
    AdmissionControl admissionControl(WorkerRegistry workers, PairSelector pairs, RoomAllocator rooms,
            InferenceBackend backend, ServingState state, MiniLbConfig config, RandomSource random,
            UnansweredAttempts unanswered, RoutingMetrics metrics) {
        var scheduler = new SharedDelayScheduler();
        var retries = new Retries(config.resilience().retry(), random, scheduler);
        var routing = new RouteGeneration(workers, pairs, rooms, backend, state, MonotonicClock.SYSTEM,
                config.requestTimeout(), retries, unanswered, metrics);
        return new AdmissionControl(routing, config.admission(), MonotonicClock.SYSTEM, scheduler);
    }

    @Provides
    @Singleton
    RouteGenerationUseCase routeGeneration(AdmissionControl admission) {
        return admission;
    }

    @Provides
    @Singleton
    AdmissionStats admissionStats(AdmissionControl admission) {
        return admission;
    }

    @Provides
    @Singleton
    ClusterAdminUseCase clusterAdmin(WorkerRegistry workers, WorkerAdminClient client) {
        return new ClusterAdmin(workers, client);
    }

    /**
     * A worker added through the API gets traffic once its first health check passes (the next round, within an
     * interval); with health checks disabled, at once.
     */
    @Provides
    @Singleton
    ManageWorkersUseCase manageWorkers(WorkerRegistry workers, ServingState state, MiniLbConfig config) {
        return new ManageWorkers(workers, state, ManageWorkers.MAX_WORKERS,
                !config.resilience().healthChecks().enabled());
    }
}
