package io.minilb.simulator.rendezvous;

/** What a prefill "sends" a decode for a room: enough to prove the KV belongs to the decode's own prompt. */
public record KvTransfer(long room, int promptTokens, long promptHash) {
}
