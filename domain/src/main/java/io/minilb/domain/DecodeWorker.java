package io.minilb.domain;

/** A decode server: receives the KV cache from a prefill and generates the tokens. */
public record DecodeWorker(String url) implements Worker {

    public DecodeWorker {
        url = WorkerUrl.normalize(url);
    }
}
