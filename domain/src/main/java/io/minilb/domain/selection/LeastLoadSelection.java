package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Objects;

/** The candidate with the fewest requests in flight; ties are broken at random so an idle pool is not herded. */
public final class LeastLoadSelection implements SelectionPolicy {

    private final RandomSource random;

    public LeastLoadSelection(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        return leastLoaded(candidates, random);
    }

    /** Reservoir sampling over the ties: one pass, no list of them. */
    static <C extends WorkerLoad> C leastLoaded(List<C> candidates, RandomSource random) {
        C best = null;
        int bestLoad = Integer.MAX_VALUE;
        int ties = 0;
        for (C candidate : candidates) {
            int load = candidate.inFlight();
            if (load < bestLoad) {
                best = candidate;
                bestLoad = load;
                ties = 1;
            } else if (load == bestLoad && random.nextInt(++ties) == 0) {
                best = candidate;
            }
        }
        return best;
    }
}
