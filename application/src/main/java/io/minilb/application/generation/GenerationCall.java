package io.minilb.application.generation;

/** A generation in flight. */
@FunctionalInterface
public interface GenerationCall {

    /** Abandons both legs, closing their connections so the servers free the request's KV. */
    void cancel();
}
