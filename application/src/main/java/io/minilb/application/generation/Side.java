package io.minilb.application.generation;

import io.minilb.domain.worker.WorkerRole;
import java.util.Locale;

/** Which leg of a prefill/decode pair something happened on. */
public enum Side {
    PREFILL,
    DECODE,
    /** Neither: mini-lb refused the request before choosing a pair (its admission limits). */
    NONE;

    /** The lower-case name used in error bodies and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Side of(WorkerRole role) {
        return role == WorkerRole.PREFILL ? PREFILL : DECODE;
    }
}
