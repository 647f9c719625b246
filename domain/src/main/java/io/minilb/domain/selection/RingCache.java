package io.minilb.domain.selection;

import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ring over the current candidates, rebuilt only when they change (a worker added, removed, or going in or out
 * of availability): the lookup per request is a binary search. Thread-safe: a stale read rebuilds, never misroutes.
 */
final class RingCache {

    private final AtomicReference<HashRing> ring = new AtomicReference<>(new HashRing(List.of()));

    <C extends WorkerLoad> C workerFor(List<C> candidates, long keyHash) {
        HashRing current = ring.get();
        if (!current.isOver(candidates)) {
            current = new HashRing(candidates);
            ring.set(current);
        }
        return candidates.get(current.indexFor(keyHash));
    }
}
