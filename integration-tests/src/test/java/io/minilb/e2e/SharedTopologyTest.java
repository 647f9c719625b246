package io.minilb.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One 2 prefill + 2 decode topology per test class, with faults and history cleared before each test. */
abstract class SharedTopologyTest {

    static PdTopology topology;

    @BeforeAll
    static void startTopology() {
        topology = PdTopology.start();
    }

    @AfterAll
    static void stopTopology() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    @BeforeEach
    void resetSimulators() {
        topology.reset();
    }
}
