package io.minilb.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Tests that share one prefill and one decode simulator, cleared of faults, counters and rooms after each test. */
abstract class SharedPdPairTest {
    static PdPair pair;

    @BeforeAll
    static void startPair() {
        pair = PdPair.start();
    }

    @AfterAll
    static void stopPair() {
        pair.close();
    }

    @AfterEach
    void resetPair() {
        pair.prefill.reset();
        pair.decode.reset();
    }
}
