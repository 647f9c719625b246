package io.minilb.application.workers;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker API over the live registry. The registry is bounded here: the API is the only way it grows while
 * serving, so {@code maxWorkers} (configured and draining workers included) caps what a caller of the API can make
 * mini-lb hold.
 */
public final class ManageWorkers implements ManageWorkersUseCase {

    /**
     * The registry's bound: far more than any PD deployment runs (SGLang clusters have tens of servers), and at
     * about a kilobyte per worker a megabyte at most.
     */
    public static final int MAX_WORKERS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ManageWorkers.class);

    private final WorkerRegistry registry;
    private final ServingState servingState;
    private final int maxWorkers;
    private final boolean addedWorkersStartHealthy;

    /**
     * @param maxWorkers the most workers the registry holds; an add beyond it is refused
     * @param addedWorkersStartHealthy true when a worker added through the API takes traffic at once; false when it
     *     must first pass its health checks
     */
    public ManageWorkers(WorkerRegistry registry, ServingState servingState, int maxWorkers,
            boolean addedWorkersStartHealthy) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.servingState = Objects.requireNonNull(servingState, "servingState");
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("the worker limit must be at least 1, got " + maxWorkers);
        }
        this.maxWorkers = maxWorkers;
        this.addedWorkersStartHealthy = addedWorkersStartHealthy;
    }

    @Override
    public List<LiveWorker<?>> list() {
        return registry.snapshot();
    }

    @Override
    public Optional<LiveWorker<?>> find(String id) {
        return registry.byId(id);
    }

    @Override
    public Optional<LiveWorker<?>> findByUrl(String url) {
        return registry.byUrl(url);
    }

    /** Synchronized so that the duplicate and limit checks hold until the worker is in. */
    @Override
    public synchronized AddWorkerResult add(Worker worker, WorkerOrigin origin) {
        Optional<LiveWorker<?>> existing = registry.byUrl(worker.url());
        if (existing.isPresent()) {
            return new AddWorkerResult.AlreadyRegistered(existing.get());
        }
        if (registry.snapshot().size() >= maxWorkers) {
            return new AddWorkerResult.RegistryFull(maxWorkers);
        }
        LiveWorker<?> added = worker instanceof PrefillWorker prefill
                ? registry.addPrefill(prefill, origin, addedWorkersStartHealthy)
                : registry.addDecode((DecodeWorker) worker, origin, addedWorkersStartHealthy);
        LOG.info("{} added ({}, id {})", added, origin.name().toLowerCase(Locale.ROOT), added.id());
        return new AddWorkerResult.Added(added);
    }

    @Override
    public Optional<LiveWorker<?>> remove(String id) {
        Optional<LiveWorker<?>> worker = registry.byId(id);
        worker.ifPresent(found -> {
            if (registry.remove(id)) {
                LOG.info("{} removed: draining {} request(s) in flight", found,
                        found.inFlight());
            }
        });
        return worker;
    }

    @Override
    public Readiness readiness() {
        return new Readiness(servingState.isServing(), servingState.isWarmingUp(), registry.availablePrefills().size(),
                registry.availableDecodes().size());
    }
}
