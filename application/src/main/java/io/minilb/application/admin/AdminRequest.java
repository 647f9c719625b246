package io.minilb.application.admin;

/** An admin call mini-lb forwards to backend servers. */
public enum AdminRequest {
    HEALTH_GENERATE("GET", "/health_generate"),
    FLUSH_CACHE("POST", "/flush_cache"),
    SERVER_INFO("GET", "/get_server_info"),
    MODEL_INFO("GET", "/get_model_info"),
    MODELS("GET", "/v1/models");

    private final String method;
    private final String path;

    AdminRequest(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }
}
