package io.minilb.domain;

import java.util.List;

/** The servers mini-lb balances over: at least one prefill and one decode. */
public record Topology(List<PrefillWorker> prefills, List<DecodeWorker> decodes) {

    public Topology {
        prefills = List.copyOf(prefills);
        decodes = List.copyOf(decodes);
        if (prefills.isEmpty()) {
            throw new IllegalArgumentException("at least one prefill server is required (--prefill URL [BOOTSTRAP_PORT|none])");
        }
        if (decodes.isEmpty()) {
            throw new IllegalArgumentException("at least one decode server is required (--decode URL)");
        }
    }
}
