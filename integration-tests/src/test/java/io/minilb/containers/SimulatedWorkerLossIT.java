package io.minilb.containers;

/** {@link WorkerLossCases} on SGLang simulators: runs wherever Docker does. */
class SimulatedWorkerLossIT extends WorkerLossCases {

    @Override
    ServerFleet fleet() {
        return new SimulatorFleet();
    }
}
