package io.minilb.containers;

import java.util.function.Supplier;

/**
 * One topology for all tests of a class, started by the first test that asks for it. Asking from
 * {@code @BeforeEach} rather than starting in {@code @BeforeAll} makes a fleet's assumption (no
 * {@code sglang.image}, no GPU) skip every test visibly: Failsafe reports a class aborted in {@code @BeforeAll}
 * as no test at all. A failed start is remembered, so the other tests fail at once instead of retrying it.
 */
final class SharedTopology implements AutoCloseable {

    private final Supplier<ServerFleet> fleet;
    private final int prefills;
    private final int decodes;
    private PdTopology topology;
    private RuntimeException startFailure;

    SharedTopology(Supplier<ServerFleet> fleet, int prefills, int decodes) {
        this.fleet = fleet;
        this.prefills = prefills;
        this.decodes = decodes;
    }

    /** The running topology, started now if no test started it yet. */
    synchronized PdTopology get() {
        if (topology == null && startFailure == null) {
            try {
                topology = PdTopology.start(fleet.get(), prefills, decodes);
            } catch (RuntimeException e) { // a failed assumption too: every test reports it
                startFailure = e;
            }
        }
        if (startFailure != null) {
            throw startFailure;
        }
        return topology;
    }

    /** The topology if it runs, else null. */
    synchronized PdTopology running() {
        return topology;
    }

    @Override
    public synchronized void close() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }
}
