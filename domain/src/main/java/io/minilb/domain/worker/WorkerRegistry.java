package io.minilb.domain.worker;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The live set of workers. Reads (every request) see an immutable snapshot without locking; changes (rare: startup,
 * the worker API) copy it. A removed worker drains: it is no longer available, its requests in flight finish, and
 * it leaves the set when the last one ends. Thread-safe.
 */
public final class WorkerRegistry {

    private final CircuitBreakerSettings circuitSettings;
    private final HealthThresholds healthThresholds;
    private final MonotonicClock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);

    public WorkerRegistry(CircuitBreakerSettings circuitSettings, HealthThresholds healthThresholds,
            MonotonicClock clock) {
        this.circuitSettings = Objects.requireNonNull(circuitSettings, "circuitSettings");
        this.healthThresholds = Objects.requireNonNull(healthThresholds, "healthThresholds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param startsHealthy whether it may get requests before its first health check passes
     * @throws IllegalArgumentException when a worker with the same URL is registered (in either role)
     */
    public LiveWorker<PrefillWorker> addPrefill(PrefillWorker prefill, WorkerOrigin origin, boolean startsHealthy) {
        LiveWorker<PrefillWorker> added = newLiveWorker(prefill, origin, startsHealthy);
        change(current -> current.withoutDuplicateOf(added).withPrefill(added));
        return added;
    }

    /** As {@link #addPrefill}, for a decode. */
    public LiveWorker<DecodeWorker> addDecode(DecodeWorker decode, WorkerOrigin origin, boolean startsHealthy) {
        LiveWorker<DecodeWorker> added = newLiveWorker(decode, origin, startsHealthy);
        change(current -> current.withoutDuplicateOf(added).withDecode(added));
        return added;
    }

    /**
     * Starts draining the worker with this id: once this returns it is never chosen again. True when it was
     * registered and not draining yet.
     */
    public boolean remove(String id) {
        return byId(id).map(LiveWorker::startDraining).orElse(false);
    }

    public Optional<LiveWorker<?>> byId(String id) {
        // Ids are UUIDs, which RFC 9562 compares without regard to case.
        return all().filter(worker -> worker.id().equalsIgnoreCase(id)).findFirst();
    }

    public Optional<LiveWorker<?>> byUrl(String url) {
        return all().filter(worker -> worker.url().equals(url)).findFirst();
    }

    /** Every registered prefill, draining ones included, in registration order. */
    public List<LiveWorker<PrefillWorker>> prefills() {
        return snapshot.get().prefills();
    }

    /** Every registered decode, draining ones included, in registration order. */
    public List<LiveWorker<DecodeWorker>> decodes() {
        return snapshot.get().decodes();
    }

    public List<LiveWorker<PrefillWorker>> availablePrefills() {
        return available(prefills());
    }

    public List<LiveWorker<DecodeWorker>> availableDecodes() {
        return available(decodes());
    }

    /** Every registered worker of this role. */
    public List<? extends LiveWorker<?>> workers(WorkerRole role) {
        return role == WorkerRole.PREFILL ? prefills() : decodes();
    }

    /** Every registered worker, prefills first: a snapshot for listings. */
    public List<LiveWorker<?>> snapshot() {
        return all().toList();
    }

    private Stream<LiveWorker<?>> all() {
        Snapshot current = snapshot.get();
        return Stream.concat(current.prefills().stream(), current.decodes().stream());
    }

    private static <W extends Worker> List<LiveWorker<W>> available(List<LiveWorker<W>> workers) {
        return workers.stream().filter(LiveWorker::isAvailable).toList();
    }

    private <W extends Worker> LiveWorker<W> newLiveWorker(W worker, WorkerOrigin origin, boolean startsHealthy) {
        return new LiveWorker<>(worker, origin, new WorkerHealth(healthThresholds, startsHealthy),
                new CircuitBreaker(circuitSettings, clock), this::drop);
    }

    private void drop(LiveWorker<?> drained) {
        change(current -> current.without(drained));
    }

    private void change(UnaryOperator<Snapshot> change) {
        snapshot.updateAndGet(change);
    }

    private record Snapshot(List<LiveWorker<PrefillWorker>> prefills, List<LiveWorker<DecodeWorker>> decodes) {

        static final Snapshot EMPTY = new Snapshot(List.of(), List.of());

        Snapshot withoutDuplicateOf(LiveWorker<?> added) {
            Stream.concat(prefills.stream(), decodes.stream())
                    .filter(worker -> worker.url().equals(added.url()))
                    .findFirst()
                    .ifPresent(existing -> {
                        throw new IllegalArgumentException(existing + " is already registered"
                                + (existing.isDraining() ? " (draining until its requests end)" : ""));
                    });
            return this;
        }

        Snapshot withPrefill(LiveWorker<PrefillWorker> prefill) {
            return new Snapshot(plus(prefills, prefill), decodes);
        }

        Snapshot withDecode(LiveWorker<DecodeWorker> decode) {
            return new Snapshot(prefills, plus(decodes, decode));
        }

        Snapshot without(LiveWorker<?> removed) {
            return new Snapshot(minus(prefills, removed), minus(decodes, removed));
        }

        private static <T> List<T> plus(List<T> list, T added) {
            List<T> copy = new ArrayList<>(list);
            copy.add(added);
            return List.copyOf(copy);
        }

        private static <T> List<T> minus(List<T> list, Object removed) {
            return list.stream().filter(item -> item != removed).toList();
        }
    }
}
