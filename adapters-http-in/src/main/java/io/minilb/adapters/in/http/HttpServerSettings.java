package io.minilb.adapters.in.http;

import java.time.Duration;

/**
 * Where mini-lb listens and what it grants each client: the size of a request body, the time to send a request,
 * how many connections may be open, and how much of a stream may wait for a slow reader.
 *
 * @param port the TCP port, or 0 for an ephemeral one (see {@link MiniLbHttpServer#port()})
 * @param maxPayloadBytes the largest generation request body accepted; larger ones get 413
 * @param requestReadTimeout the time a client has to send a whole request, head and body, and the longest a
 *     connection may stay open with no request on it; see {@link MiniLbHttpServer} for what the client sees
 * @param maxConnections the most client connections open at once; beyond it new connections are closed as soon as
 *     they are accepted (lowered at start when the process may not open enough descriptors, see
 *     {@link ConnectionCap})
 * @param streamBufferBytes the bytes of a stream queued for a slow client before mini-lb stops reading the stream
 *     from its decode; reading resumes when the client has taken half of them
 */
public record HttpServerSettings(
        String host,
        int port,
        long maxPayloadBytes,
        Duration requestReadTimeout,
        int maxConnections,
        int streamBufferBytes) {

    /** Slow mobile clients send a few MB of prompt well within this; slowloris connections are cut after it. */
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Thousands of concurrent streams, each of which also holds up to two backend connections: about 30,000
     * descriptors, within the usual limit of a container or a systemd service (524,288 or more, which the JVM
     * raises its soft limit to). Under a lower limit the cap is lowered to what the descriptors allow.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /**
     * About one read from the decode: a client that reads at all is never starved, and a stream that waits for one
     * holds about twice this (the frames still arriving while the decode stops are queued too).
     */
    public static final int DEFAULT_STREAM_BUFFER_BYTES = 64 * 1024;

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
        // Undertow takes its timeouts as int milliseconds.
        if (requestReadTimeout == null || requestReadTimeout.toMillis() < 1
                || requestReadTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "requestReadTimeout must be in 1 ms-" + Integer.MAX_VALUE + " ms, got " + requestReadTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (streamBufferBytes < 1) {
            throw new IllegalArgumentException("streamBufferBytes must be at least 1, got " + streamBufferBytes);
        }
    }
}
