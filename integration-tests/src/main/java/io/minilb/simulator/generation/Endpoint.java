package io.minilb.simulator.generation;

/** The generation APIs SGLang serves, each with its own request and response shapes. */
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
