package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import java.util.List;
import java.util.Objects;

/**
 * A listener of its own that serves only {@code GET /metrics} (SGLang's router's {@code --prometheus-host} and
 * {@code --prometheus-port}), so that scrapes can be reached on another interface than clients. Bounded as the main
 * listener is (connection cap, request read timeout), with limits sized for a few scrapers.
 */
public final class MetricsListener {

    static final String PATH = "/metrics";
    static final List<String> METHODS = List.of("GET", "HEAD");

    /** Scrapers, dashboards and a few curls; more connections than this are closed at once. */
    static final int MAX_CONNECTIONS = 64;
    /** A scrape is small and served on the IO thread; one thread is ample. */
    private static final int IO_THREADS = 1;
    /** No request body is read on this listener. */
    private static final int MAX_PAYLOAD_BYTES = 1;

    private final HttpListener listener;

    public MetricsListener(String host, int port, HttpHandler metricsEndpoint) {
        Objects.requireNonNull(metricsEndpoint, "metricsEndpoint");
        var settings = new HttpServerSettings(host, port, MAX_PAYLOAD_BYTES,
                HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT, MAX_CONNECTIONS,
                HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES);
        var routes = new RouteTable(List.of(new RouteTable.Route(METHODS, PATH, metricsEndpoint)));
        this.listener = new HttpListener(settings, new TransferEncodingGuard(routes), () -> { }, IO_THREADS);
    }

    public void start() {
        listener.start();
    }

    /** The port actually bound. */
    public int port() {
        return listener.port();
    }

    public void stop() {
        listener.stop();
    }
}
