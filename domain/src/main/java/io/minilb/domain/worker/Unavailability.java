package io.minilb.domain.worker;

/** Why a registered worker gets no new requests. */
public enum Unavailability {
    DRAINING("draining"),
    UNHEALTHY("unhealthy"),
    CIRCUIT_OPEN("circuit open");

    private final String label;

    Unavailability(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
