package io.minilb.domain.selection;

import io.minilb.domain.Worker;
import java.util.List;

/** Picks one worker among candidates. Implementations are thread-safe. */
public interface SelectionPolicy {

    /** @param candidates a non-empty list */
    <W extends Worker> W select(List<W> candidates);
}
