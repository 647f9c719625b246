package io.minilb.containers;

/** {@link ServingCases} on SGLang simulators: runs wherever Docker does. */
class SimulatedServingIT extends ServingCases {

    @Override
    ServerFleet fleet() {
        return new SimulatorFleet();
    }
}
