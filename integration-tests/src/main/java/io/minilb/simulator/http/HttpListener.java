package io.minilb.simulator.http;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import org.xnio.XnioWorker;

/**
 * One HTTP port that can stop listening (so connects are refused) and listen again on the same port.
 * Stopping closes only the listening socket: connections already accepted live on, since they belong to the
 * shared worker.
 */
public final class HttpListener {
    private final XnioWorker worker;
    private final String host;
    private final HttpHandler handler;
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
        Undertow started = Undertow.builder().setWorker(worker).addHttpListener(port, host).setHandler(handler).build();
        try {
            started.start();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), e);
        }
        server = started;
        port = ((InetSocketAddress) started.getListenerInfo().get(0).getAddress()).getPort();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public synchronized int port() {
        return port;
    }
}
