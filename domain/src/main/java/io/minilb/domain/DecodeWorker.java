package io.minilb.domain;

import io.minilb.domain.worker.WorkerRole;

/** A decode server: receives the KV cache from a prefill and generates the tokens. */
public record DecodeWorker(String url) implements Worker {

    public DecodeWorker {
        url = WorkerUrl.normalize(url);
    }

    @Override
    public WorkerRole role() {
        return WorkerRole.DECODE;
    }
}
