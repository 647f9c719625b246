package io.minilb.domain.selection;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.Unavailability;
import io.minilb.domain.worker.WorkerRegistry;
import io.minilb.domain.worker.WorkerRole;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Chooses a backend pair among the available workers, each side by its own policy. */
public final class PairSelector {

    private final SelectionPolicy prefillPolicy;
    private final SelectionPolicy decodePolicy;

    public PairSelector(SelectionPolicy prefillPolicy, SelectionPolicy decodePolicy) {
        this.prefillPolicy = Objects.requireNonNull(prefillPolicy, "prefillPolicy");
        this.decodePolicy = Objects.requireNonNull(decodePolicy, "decodePolicy");
    }

    /** Chooses and counts in a prefill and a decode, or says which side has none available (prefill first). */
    public PairSelection select(WorkerRegistry registry) {
        return select(registry, Set.of());
    }

    /**
     * As {@link #select(WorkerRegistry)}, preferring on each side the available workers whose id is not in
     * {@code avoid} (those that just failed this request); a side whose available workers are all to be avoided
     * still gets one of them.
     */
    public PairSelection select(WorkerRegistry registry, Set<String> avoid) {
        return select(registry, avoid, RoutingContext.NONE);
    }

    /** As {@link #select(WorkerRegistry, Set)}, both policies seeing the request's routing context. */
    public PairSelection select(WorkerRegistry registry, Set<String> avoid, RoutingContext context) {
        Optional<LiveWorker<PrefillWorker>> prefill = claim(preferring(registry::availablePrefills, avoid),
                prefillPolicy, context);
        if (prefill.isEmpty()) {
            return noneAvailable(registry, WorkerRole.PREFILL);
        }
        Optional<LiveWorker<DecodeWorker>> decode = claim(preferring(registry::availableDecodes, avoid),
                decodePolicy, context);
        if (decode.isEmpty()) {
            prefill.get().finish();
            return noneAvailable(registry, WorkerRole.DECODE);
        }
        return new PairSelection.Chosen(prefill.get(), decode.get());
    }

    private static <W extends Worker> Supplier<List<LiveWorker<W>>> preferring(
            Supplier<List<LiveWorker<W>>> available, Set<String> avoid) {
        if (avoid.isEmpty()) {
            return available;
        }
        return () -> {
            List<LiveWorker<W>> all = available.get();
            List<LiveWorker<W>> others = all.stream().filter(worker -> !avoid.contains(worker.id())).toList();
            return others.isEmpty() ? all : others;
        };
    }

    /**
     * Counts a request in on the worker the policy picks. A worker removed between the snapshot and the count
     * refuses it; it is draining, so the next snapshot's available workers leave it out.
     */
    private static <W extends Worker> Optional<LiveWorker<W>> claim(
            Supplier<List<LiveWorker<W>>> available, SelectionPolicy policy, RoutingContext context) {
        while (true) {
            List<LiveWorker<W>> candidates = available.get();
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            LiveWorker<W> chosen = policy.select(candidates, context);
            if (chosen.tryStart()) {
                return Optional.of(chosen);
            }
        }
    }

    private static PairSelection noneAvailable(WorkerRegistry registry, WorkerRole role) {
        List<? extends LiveWorker<?>> registered = registry.workers(role);
        Map<Unavailability, Long> reasons = new EnumMap<>(Unavailability.class);
        for (LiveWorker<?> worker : registered) {
            // A worker that became available since the snapshot is left out of the counts: they only explain.
            worker.unavailability().ifPresent(reason -> reasons.merge(reason, 1L, Long::sum));
        }
        return new PairSelection.NoneAvailable(role, registered.size(), reasons);
    }
}
