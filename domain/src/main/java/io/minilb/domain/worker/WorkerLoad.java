package io.minilb.domain.worker;

/** What a selection policy may read of a candidate worker: who it is and how busy it is. */
public interface WorkerLoad {

    String id();

    String url();

    /** Requests routed to the worker that have not ended yet. */
    int inFlight();
}
