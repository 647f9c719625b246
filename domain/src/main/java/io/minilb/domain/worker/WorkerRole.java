package io.minilb.domain.worker;

import java.util.Locale;

/** The part a worker plays in a prefill/decode pair. */
public enum WorkerRole {
    PREFILL,
    DECODE;

    /** The lower-case name used in error bodies, logs and the worker API ({@code worker_type}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
