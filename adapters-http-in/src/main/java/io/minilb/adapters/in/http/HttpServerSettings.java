package io.minilb.adapters.in.http;

/**
 * Where mini-lb listens and how big a request body it accepts.
 *
 * @param port the TCP port, or 0 for an ephemeral one (see {@link MiniLbHttpServer#port()})
 * @param maxPayloadBytes the largest generation request body accepted; larger ones get 413
 */
public record HttpServerSettings(String host, int port, long maxPayloadBytes) {

    public HttpServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0-65535, got " + port);
        }
        // Undertow buffers a request body in one array, so the limit must fit an int.
        if (maxPayloadBytes < 1 || maxPayloadBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxPayloadBytes must be in 1-" + Integer.MAX_VALUE + ", got " + maxPayloadBytes);
        }
    }
}
