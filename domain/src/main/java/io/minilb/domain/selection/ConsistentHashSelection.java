package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Objects;

/**
 * Requests with the same routing key go to the same worker, through a ring with virtual nodes so that a worker
 * joining or leaving moves only about 1/n of the keys. A request without a key has no affinity to keep and goes to a
 * random worker, as in SGLang's router.
 */
public final class ConsistentHashSelection implements SelectionPolicy {

    private final RingCache ring = new RingCache();
    private final RandomSource random;

    public ConsistentHashSelection(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        return context.routingKey()
                .map(key -> ring.workerFor(candidates, HashRing.hash(key)))
                .orElseGet(() -> candidates.get(random.nextInt(candidates.size())));
    }
}
