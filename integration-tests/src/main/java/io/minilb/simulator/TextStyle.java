package io.minilb.simulator;

/** What the simulated model's output spells. */
public enum TextStyle {
    /**
     * Words mixed with tokens that break careless proxies: a {@code [DONE]} look-alike, {@code data:}, JSON-special
     * characters and multi-byte UTF-8. The default, because tests are what the simulator is for.
     */
    TRICKY,
    /** Sentences of plain English, for demonstrations: what a person trying mini-lb out expects to read. */
    PROSE
}
