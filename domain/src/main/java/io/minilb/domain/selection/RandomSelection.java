package io.minilb.domain.selection;

import io.minilb.domain.RandomSource;
import io.minilb.domain.Worker;
import java.util.List;
import java.util.Objects;

/** Uniformly random choice: SGLang mini_lb's default. */
public final class RandomSelection implements SelectionPolicy {

    private final RandomSource random;

    public RandomSelection(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <W extends Worker> W select(List<W> candidates) {
        return candidates.get(random.nextInt(candidates.size()));
    }
}
