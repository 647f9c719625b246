package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Objects;

/**
 * Two distinct candidates at random, the less loaded of them (the first on a tie): nearly the balance of least-load
 * without every router sending its next request to the same idle worker.
 */
public final class PowerOfTwoSelection implements SelectionPolicy {

    private final RandomSource random;

    public PowerOfTwoSelection(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        int first = random.nextInt(size);
        int second = (first + 1 + random.nextInt(size - 1)) % size;
        C a = candidates.get(first);
        C b = candidates.get(second);
        return b.inFlight() < a.inFlight() ? b : a;
    }
}
