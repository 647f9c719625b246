package io.minilb.application.generation;

/** A generation in flight. */
public interface GenerationCall {

    /** Abandons both legs, closing their connections so the servers free the request's KV. */
    void cancel();

    /**
     * The client is not keeping up: stop reading the answer from the decode (its server then waits on TCP)
     * until {@link #resume}. Idempotent; harmless once the generation is over.
     */
    void pause();

    /** The client drained what it was sent: read the decode's answer again. Idempotent. */
    void resume();
}
