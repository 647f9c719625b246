package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Starts each request's {@link RequestTimeline} and records the request when its exchange completes, however it
 * ends: on the route the {@link RouteTable} matched, or as {@value #UNMATCHED} when none did (or a guard in front of
 * the routes answered it).
 */
final class MeasuredExchanges implements HttpHandler {

    static final String UNMATCHED = "unmatched";

    private final HttpMetrics metrics;
    private final RouteMetrics unmatched;
    private final HttpHandler next;

    MeasuredExchanges(HttpMetrics metrics, HttpHandler next) {
        this.metrics = metrics;
        this.unmatched = metrics.route(UNMATCHED);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        var timeline = new RequestTimeline(System.nanoTime());
        exchange.putAttachment(RequestTimeline.KEY, timeline);
        exchange.addExchangeCompleteListener((completed, nextListener) -> {
            try {
                record(completed, timeline);
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    private void record(HttpServerExchange exchange, RequestTimeline timeline) {
        long now = System.nanoTime();
        int status = exchange.getStatusCode();
        RouteMetrics route = timeline.route();
        (route == null ? unmatched : route).completed(status, timeline.totalNanos(now), timeline.firstByteNanos(),
                timeline.overheadNanos(now), exchange.getResponseBytesSent());
        Rejection.of(status, timeline.errorType()).ifPresent(metrics::rejected);
    }
}
