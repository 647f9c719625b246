package io.minilb.domain.selection;

import io.minilb.domain.BackendPair;
import io.minilb.domain.Topology;
import java.util.Objects;

/** Chooses a backend pair, each side by its own policy. */
public final class PairSelector {

    private final SelectionPolicy prefillPolicy;
    private final SelectionPolicy decodePolicy;

    public PairSelector(SelectionPolicy prefillPolicy, SelectionPolicy decodePolicy) {
        this.prefillPolicy = Objects.requireNonNull(prefillPolicy, "prefillPolicy");
        this.decodePolicy = Objects.requireNonNull(decodePolicy, "decodePolicy");
    }

    public BackendPair select(Topology topology) {
        return new BackendPair(prefillPolicy.select(topology.prefills()), decodePolicy.select(topology.decodes()));
    }
}
