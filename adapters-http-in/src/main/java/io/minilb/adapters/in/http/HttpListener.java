package io.minilb.adapters.in.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The listening socket and its IO threads, serving Undertow's HTTP/1.1 behind a {@link ConnectionCap}. Built on XNIO
 * directly, as Undertow's builder does, because the builder has no hook between accepting a connection and serving
 * it. The options are the builder's defaults except the request read timeout, which bounds both an idle connection
 * and the reading of a request head.
 */
final class HttpListener {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final HttpServerSettings settings;
    private final ConnectionCap cap;
    private final int ioThreads;
    private XnioWorker worker;
    private AcceptingChannel<StreamConnection> server;

    /**
     * @param onRefused runs for each connection closed at the cap
     * @param ioThreads the threads that serve its connections
     */
    HttpListener(HttpServerSettings settings, HttpHandler rootHandler, Runnable onRefused, int ioThreads) {
        this.settings = settings;
        this.ioThreads = ioThreads;
        var openListener = new HttpOpenListener(
                new DefaultByteBufferPool(true, BUFFER_BYTES, -1, 4), undertowOptions(settings));
        openListener.setRootHandler(rootHandler);
        this.cap = new ConnectionCap(openListener, ConnectionCap.forThisProcess(settings.maxConnections()), onRefused);
    }

    /** The client connections open now. */
    int openConnections() {
        return cap.open();
    }

    private static OptionMap undertowOptions(HttpServerSettings settings) {
        int readTimeoutMillis = (int) settings.requestReadTimeout().toMillis();
        return OptionMap.builder()
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                // Undertow answers a longer head with an empty 400 and closes; its default is 1 MiB per connection.
                .set(UndertowOptions.MAX_HEADER_SIZE, MiniLbHttpServer.MAX_REQUEST_HEAD_BYTES)
                // Undertow closes the connection at these (it cannot answer a request whose head it has not read);
                // a request body has its own deadline with a 408, see GenerationHandler.
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, readTimeoutMillis)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, readTimeoutMillis)
                .getMap();
    }

    synchronized void start() {
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, 1) // nothing is dispatched to worker threads
                    .set(Options.WORKER_TASK_MAX_THREADS, 1)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
            server = worker.createStreamConnectionServer(
                    new InetSocketAddress(settings.host(), settings.port()), cap, OptionMap.builder()
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.BACKLOG, 1000)
                            .getMap());
            server.resumeAccepts();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
    }

    synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the server is not started");
        }
        return server.getLocalAddress(InetSocketAddress.class).getPort();
    }

    synchronized void stop() {
        IoUtils.safeClose(server);
        server = null;
        if (worker != null) {
            worker.shutdown();
            try {
                worker.awaitTermination();
            } catch (InterruptedException e) {
                worker.shutdownNow();
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }
}
