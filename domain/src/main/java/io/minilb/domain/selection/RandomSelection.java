package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Objects;

/** Uniformly random choice: SGLang mini_lb's default. */
public final class RandomSelection implements SelectionPolicy {

    private final RandomSource random;

    public RandomSelection(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context) {
        return candidates.get(random.nextInt(candidates.size()));
    }
}
