package io.minilb.domain.selection;

import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each worker in turn. One instance per role, so prefill and decode rotate independently. */
public final class RoundRobinSelection implements SelectionPolicy {

    private final AtomicLong next = new AtomicLong();

    @Override
    public <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        return candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) candidates.size()));
    }
}
