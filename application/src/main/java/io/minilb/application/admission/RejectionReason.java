package io.minilb.application.admission;

import java.util.Locale;

/** Why admission control refused a request. */
public enum RejectionReason {
    /** Past the limits with the queue full (or no queue): 429. */
    QUEUE_FULL,
    /** Waited in the queue past its timeout: 408. */
    QUEUE_TIMEOUT;

    /** The lower-case name, for logs and metric labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
