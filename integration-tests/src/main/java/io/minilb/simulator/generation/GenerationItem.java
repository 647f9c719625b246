package io.minilb.simulator.generation;

import io.minilb.simulator.SimulatedModel;
import java.util.List;

/** One prompt of a generation request: a batch has several, each with its own room. */
public record GenerationItem(int index, String rid, List<Integer> promptIds, int maxTokens, BootstrapTarget target) {

    public GenerationItem {
        promptIds = List.copyOf(promptIds);
    }

    public long promptHash() {
        return SimulatedModel.promptHash(promptIds);
    }
}
