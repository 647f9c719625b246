package io.minilb.simulator.generation;

/** What a prefill or a decode does for one item of a generation request. */
public interface Leg {

    /** Whether this side computes the prompt, and so can report the prompt's logprobs. */
    boolean computesPrompt();

    /** Starts the item; reports through {@link Generation#progress} and {@link Generation#fail}. IO thread. */
    void run(ItemOutput output, Generation generation);
}
