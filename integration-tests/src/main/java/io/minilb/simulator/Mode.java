package io.minilb.simulator;

import java.util.Locale;

/** Which half of a disaggregated SGLang deployment a simulator plays ({@code --disaggregation-mode}). */
public enum Mode {
    PREFILL,
    DECODE;

    /** The name SGLang uses, e.g. in {@code get_server_info}'s {@code disaggregation_mode}. */
    public String sglangName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
