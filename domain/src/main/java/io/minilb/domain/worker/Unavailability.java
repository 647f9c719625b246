package io.minilb.domain.worker;

/** Why a registered worker gets no new requests. */
public enum Unavailability {
    DRAINING("draining"),
    UNHEALTHY("unhealthy"),
    CIRCUIT_OPEN("circuit open"),
    /** Half-open, with as many trial requests in flight as it admits. */
    TRIALS_IN_FLIGHT("circuit half-open with its trial requests in flight");

    private final String label;

    Unavailability(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
