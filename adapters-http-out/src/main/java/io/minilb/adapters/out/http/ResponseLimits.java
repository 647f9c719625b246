package io.minilb.adapters.out.http;

/**
 * How much of a backend's answer mini-lb may hold whole: a non-streamed decode answer, the prefill's answer kept for
 * logprob merging, one event-stream frame, and a merged answer are each at most {@code maxResponseBytes}.
 */
public record ResponseLimits(int maxResponseBytes) {

    /** 64 MiB: generous for any answer but the prompt logprobs of a very long prompt with many top logprobs. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    public ResponseLimits {
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("max response bytes must be at least 1, got " + maxResponseBytes);
        }
    }

    public static ResponseLimits defaults() {
        return new ResponseLimits(DEFAULT_MAX_RESPONSE_BYTES);
    }
}
