package io.minilb.application.generation;

/** The generation endpoints routed through a prefill/decode pair. */
public enum Endpoint {
    GENERATE("/generate"),
    CHAT_COMPLETIONS("/v1/chat/completions"),
    COMPLETIONS("/v1/completions");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
