package io.minilb.containers;

/** {@link MiniLbRestartCases} on SGLang simulators: runs wherever Docker does. */
class SimulatedMiniLbRestartIT extends MiniLbRestartCases {

    @Override
    ServerFleet fleet() {
        return new SimulatorFleet();
    }
}
