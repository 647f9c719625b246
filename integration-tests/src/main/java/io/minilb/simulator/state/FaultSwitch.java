package io.minilb.simulator.state;

import io.minilb.simulator.Faults;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The faults in force; applies the one with a side effect (refusing connections) when it flips. */
public final class FaultSwitch {
    private final Consumer<Boolean> refuseConnections;
    private volatile Faults current = Faults.NONE;

    /** @param refuseConnections called with the new value whenever {@link Faults#refuseConnections()} flips */
    public FaultSwitch(Consumer<Boolean> refuseConnections) {
        this.refuseConnections = refuseConnections;
    }

    public Faults current() {
        return current;
    }

    public synchronized Faults update(UnaryOperator<Faults> change) {
        Faults next = Objects.requireNonNull(change.apply(current), "faults");
        boolean flips = next.refuseConnections() != current.refuseConnections();
        current = next;
        if (flips) {
            refuseConnections.accept(next.refuseConnections());
        }
        return next;
    }
}
