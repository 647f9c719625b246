package io.minilb.domain.selection;

import io.minilb.domain.worker.WorkerLoad;
import java.util.List;

/**
 * Picks one worker among the available candidates. Pure: what it reads is the candidates (and their load) and the
 * request's routing context. Thread-safe.
 */
public interface SelectionPolicy {

    /** @param candidates a non-empty list */
    <C extends WorkerLoad> C select(List<C> candidates, RoutingContext context);

    /** For a request that carries nothing to route by. */
    default <C extends WorkerLoad> C select(List<C> candidates) {
        return select(candidates, RoutingContext.NONE);
    }
}
