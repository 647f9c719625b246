package io.minilb.domain;

/** The rendezvous id prefill and decode match a KV transfer on; SGLang wants it in [0, 2^63-1]. */
public record BootstrapRoom(long value) {

    public BootstrapRoom {
        if (value < 0) {
            throw new IllegalArgumentException("bootstrap room must be in [0, 2^63-1], got " + value);
        }
    }
}
