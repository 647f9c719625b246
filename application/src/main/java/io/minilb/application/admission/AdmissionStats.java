package io.minilb.application.admission;

/** What admission control is doing now and has refused so far, for metrics. Read-only; safe from any thread. */
public interface AdmissionStats {

    /** Requests waiting in the queue now. */
    int queued();

    /** Generations admitted and not yet ended. */
    int active();

    /** Requests refused for this reason since start. */
    long rejected(RejectionReason reason);
}
