package io.minilb.simulator.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xnio.XnioWorker;

/**
 * One HTTP port that can stop listening (so connects are refused) and listen again on the same port.
 * Stopping closes only the listening socket: connections already accepted live on, since they belong to the
 * shared worker. It counts its open connections with Undertow's connector statistics, which count a connection
 * from accept to close whether or not it ever sent a request.
 */
public final class HttpListener {
    private final XnioWorker worker;
    private final String host;
    private final HttpHandler handler;
    /** Of every start so far whose connections are not all closed: connections outlive a stop. */
    private final List<ConnectorStatistics> statistics = new ArrayList<>();
    private int port;
    private Undertow server;

    /** @param port 0 picks a free port on the first {@link #start()}, kept for later restarts */
    public HttpListener(XnioWorker worker, String host, int port, HttpHandler handler) {
        this.worker = worker;
        this.host = host;
        this.port = port;
        this.handler = handler;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        Undertow started = Undertow.builder().setWorker(worker).addHttpListener(port, host).setHandler(handler)
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .build();
        try {
            started.start();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), e);
        }
        server = started;
        Undertow.ListenerInfo listener = started.getListenerInfo().get(0);
        port = ((InetSocketAddress) listener.getAddress()).getPort();
        statistics.add(listener.getConnectorStatistics());
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Client connections accepted and not yet closed. */
    public synchronized int openConnections() {
        ConnectorStatistics listening = statistics.isEmpty() || server == null ? null : statistics.get(statistics.size() - 1);
        statistics.removeIf(stats -> stats != listening && stats.getActiveConnections() == 0);
        return Math.toIntExact(statistics.stream().mapToLong(ConnectorStatistics::getActiveConnections).sum());
    }

    public synchronized int port() {
        return port;
    }
}
