package io.minilb.adapters.in.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * When the steps of one request happened, for its metrics: set on the exchange when its head has been read, marked
 * by the handlers as the request goes (some marks come from backend threads, hence the volatile fields), and read
 * once when the exchange completes. A mark of 0 means the step did not happen.
 */
final class RequestTimeline {

    static final AttachmentKey<RequestTimeline> KEY = AttachmentKey.create(RequestTimeline.class);

    private final long arrived;
    private volatile RouteMetrics route;
    private volatile long bodyReceived;
    private volatile long dispatched;
    private volatile long firstByte;
    private volatile long upstreamDone;
    private volatile String errorType;

    RequestTimeline(long arrived) {
        this.arrived = arrived;
    }

    /** The exchange's timeline, or null when no one measures this server's requests. */
    static RequestTimeline of(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY);
    }

    void routed(RouteMetrics matched) {
        route = matched;
    }

    void bodyReceived() {
        bodyReceived = System.nanoTime();
    }

    /** The first attempt's legs were handed to the backend client; later attempts do not move it. */
    void dispatched() {
        if (dispatched == 0) {
            dispatched = System.nanoTime();
        }
    }

    /** The first byte of the answer is being written to the client. */
    void firstByte() {
        if (firstByte == 0) {
            firstByte = System.nanoTime();
        }
    }

    /** The backend's last event (the whole answer, the end of the stream, or the failure) arrived. */
    void upstreamDone() {
        upstreamDone = System.nanoTime();
    }

    /** The request was answered with an error of this type (see {@link ErrorBody}). */
    void failed(String type) {
        errorType = type;
    }

    RouteMetrics route() {
        return route;
    }

    String errorType() {
        return errorType;
    }

    long totalNanos(long completed) {
        return completed - arrived;
    }

    /** From arrival to the first byte of the answer, or -1 when none was written by a generation route. */
    long firstByteNanos() {
        long first = firstByte;
        return first == 0 ? -1 : first - arrived;
    }

    /**
     * The time the request spent in mini-lb itself, or -1 when its body never arrived: from the body's last byte to
     * the first attempt's dispatch, plus from the backend's last event to the response's completion; all of it when
     * nothing was dispatched (refused or invalid). Waiting on the client for the body and on the servers (including
     * retries' backoffs) is not counted.
     */
    long overheadNanos(long completed) {
        long body = bodyReceived;
        if (body == 0) {
            return -1;
        }
        long sent = dispatched;
        long done = upstreamDone;
        if (sent == 0 || done == 0) {
            return completed - body;
        }
        return (sent - body) + Math.max(0, completed - done);
    }
}
