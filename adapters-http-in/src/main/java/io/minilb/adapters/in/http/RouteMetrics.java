package io.minilb.adapters.in.http;

/** Records the requests of one route; resolved once per route, so a request costs no label lookup. */
public interface RouteMetrics {

    /**
     * A request on this route completed.
     *
     * @param firstByteNanos from arrival to the answer's first byte, or -1 when not measured
     * @param overheadNanos the time spent in mini-lb itself (see the README's Metrics section), or -1 when not measured
     * @param responseBytes the response body bytes written to the client
     */
    void completed(int status, long totalNanos, long firstByteNanos, long overheadNanos, long responseBytes);
}
