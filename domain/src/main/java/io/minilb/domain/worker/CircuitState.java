package io.minilb.domain.worker;

import java.util.Locale;

/** Whether a worker's circuit lets requests through. */
public enum CircuitState {
    /** Requests flow; failures are counted. */
    CLOSED,
    /** Too many failures: no requests until the timeout has passed. */
    OPEN,
    /** The timeout has passed: requests flow again as trials; the next failure opens the circuit again. */
    HALF_OPEN;

    /** The name the worker API shows ({@code circuit_state}), as SGLang's router spells it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
