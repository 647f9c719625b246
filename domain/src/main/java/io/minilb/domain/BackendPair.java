package io.minilb.domain;

import java.util.Objects;

/** The prefill and decode servers that serve one request together. */
public record BackendPair(PrefillWorker prefill, DecodeWorker decode) {

    public BackendPair {
        Objects.requireNonNull(prefill, "prefill");
        Objects.requireNonNull(decode, "decode");
    }
}
