package io.minilb.simulator.rendezvous;

/**
 * What a prefill "sends" a decode for a room: enough to prove the KV belongs to the decode's own prompt, and how much
 * of the prompt the prefill found in its prefix cache (so the decode's answer reports it, as the client sees it).
 */
public record KvTransfer(long room, int promptTokens, long promptHash, int cachedTokens) {
}
