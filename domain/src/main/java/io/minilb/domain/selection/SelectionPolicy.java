package io.minilb.domain.selection;

import io.minilb.domain.worker.WorkerLoad;
import java.util.List;

/** Picks one worker among the available candidates. Pure: what it reads is the candidates. Thread-safe. */
public interface SelectionPolicy {

    /** @param candidates a non-empty list */
    <C extends WorkerLoad> C select(List<C> candidates);
}
