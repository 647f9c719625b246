package io.minilb.bootstrap.config;

import io.minilb.adapters.in.http.HttpServerSettings;
import io.minilb.adapters.out.http.ResponseLimits;
import java.util.OptionalLong;

/**
 * The bounds on what clients and servers can make mini-lb hold. See docs/RELIABILITY.md for what a client sees at
 * each limit.
 *
 * @param maxPayloadBytes the largest request body; larger ones get 413
 * @param maxResponseBytes the largest answer mini-lb holds whole (a non-streamed answer, logprobs to merge)
 * @param maxBufferedBytes the budget of bytes held for all requests together; empty for a quarter of the maximum heap
 * @param maxConnections open client connections; beyond it new ones are refused
 * @param streamBufferBytes bytes queued for a slow streaming client before mini-lb stops reading its decode
 */
public record Limits(
        long maxPayloadBytes,
        long maxResponseBytes,
        OptionalLong maxBufferedBytes,
        int maxConnections,
        int streamBufferBytes) {

    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 256L * 1024 * 1024;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = ResponseLimits.DEFAULT_MAX_RESPONSE_BYTES;
    public static final int DEFAULT_MAX_CONNECTIONS = HttpServerSettings.DEFAULT_MAX_CONNECTIONS;
    public static final int DEFAULT_STREAM_BUFFER_BYTES = HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES;

    public Limits {
        requireAtLeastOne(maxPayloadBytes, "--max-payload-bytes");
        if (maxPayloadBytes > Integer.MAX_VALUE) {
            throw new InvalidConfigurationException("--max-payload-bytes must be at most " + Integer.MAX_VALUE);
        }
        requireAtLeastOne(maxResponseBytes, "--max-response-bytes");
        if (maxResponseBytes > Integer.MAX_VALUE) {
            throw new InvalidConfigurationException("--max-response-bytes must be at most " + Integer.MAX_VALUE);
        }
        if (maxBufferedBytes == null) {
            throw new InvalidConfigurationException("maxBufferedBytes must be OptionalLong.empty() for the default");
        }
        maxBufferedBytes.ifPresent(bytes -> requireAtLeastOne(bytes, "--max-buffered-bytes"));
        requireAtLeastOne(maxConnections, "--max-connections");
        requireAtLeastOne(streamBufferBytes, "--stream-buffer-bytes");
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_RESPONSE_BYTES, OptionalLong.empty(),
                DEFAULT_MAX_CONNECTIONS, DEFAULT_STREAM_BUFFER_BYTES);
    }

    /**
     * The memory budget in force: the configured one, or a quarter of what the heap may grow to. Not more: what the
     * budget counts is live, but the copies let go of are garbage until collected, and an answer of tens of MB needs
     * that much contiguous free heap, so the heap needs room beyond the budget.
     */
    public long effectiveMaxBufferedBytes() {
        return maxBufferedBytes.orElse(Runtime.getRuntime().maxMemory() / 4);
    }

    public Limits withMaxPayloadBytes(long bytes) {
        return new Limits(bytes, maxResponseBytes, maxBufferedBytes, maxConnections, streamBufferBytes);
    }

    public Limits withMaxResponseBytes(long bytes) {
        return new Limits(maxPayloadBytes, bytes, maxBufferedBytes, maxConnections, streamBufferBytes);
    }

    public Limits withMaxBufferedBytes(long bytes) {
        return new Limits(maxPayloadBytes, maxResponseBytes, OptionalLong.of(bytes), maxConnections, streamBufferBytes);
    }

    public Limits withMaxConnections(int connections) {
        return new Limits(maxPayloadBytes, maxResponseBytes, maxBufferedBytes, connections, streamBufferBytes);
    }

    public Limits withStreamBufferBytes(int bytes) {
        return new Limits(maxPayloadBytes, maxResponseBytes, maxBufferedBytes, maxConnections, bytes);
    }

    private static void requireAtLeastOne(long value, String flag) {
        if (value < 1) {
            throw new InvalidConfigurationException(flag + " must be at least 1, got " + value);
        }
    }
}
