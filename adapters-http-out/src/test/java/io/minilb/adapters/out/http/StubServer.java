package io.minilb.adapters.out.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * An HTTP server on a loopback ephemeral port that records every request it receives and answers
 * as the test scripts it, on a worker thread where the script may block.
 */
final class StubServer implements AutoCloseable {

    /** How long a script waits for the test before giving up, so no stub outlives its test by much. */
    static final long PATIENCE_SECONDS = 10;

    @FunctionalInterface
    interface Script {
        void answer(Exchange exchange) throws Exception;
    }

    /**
     * What one request brought. {@code clientPort} tells connections apart; {@code connectionClosed}
     * completes when the request's connection closes.
     */
    record Received(String method, String path, String contentType, byte[] body, int clientPort,
            CompletableFuture<Void> connectionClosed, Map<String, List<String>> headers) {

        /** Every value of the header, in the order received. */
        List<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Undertow undertow;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private StubServer(Script script) {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .setHandler(new BlockingHandler(exchange -> serve(exchange, script)))
                .build();
        undertow.start();
    }

    static StubServer start(Script script) {
        return new StubServer(script);
    }

    /** A URL nothing listens on: connections to it are refused. */
    static String unusedUrl() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    String url() {
        var address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return "http://127.0.0.1:" + address.getPort();
    }

    /** Connections accepted and not closed yet, by either side. */
    long openConnections() {
        return undertow.getListenerInfo().get(0).getConnectorStatistics().getActiveConnections();
    }

    /** The most connections that were open at once. */
    long peakOpenConnections() {
        return undertow.getListenerInfo().get(0).getConnectorStatistics().getMaxActiveConnections();
    }

    /** The next request received, waiting for it if need be. */
    Received nextRequest() throws InterruptedException {
        Received next = received.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no request reached " + url());
        }
        return next;
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private void serve(HttpServerExchange exchange, Script script) throws Exception {
        var request = new Received(
                exchange.getRequestMethod().toString(),
                exchange.getRequestPath(),
                exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE),
                exchange.getInputStream().readAllBytes(),
                exchange.getSourceAddress().getPort(),
                new CompletableFuture<>(),
                headers(exchange.getRequestHeaders()));
        exchange.getConnection().addCloseListener(connection -> request.connectionClosed().complete(null));
        received.add(request);
        script.answer(new Exchange(exchange, request));
    }

    /** By lower-case name: the exchange's own map is not the test's to keep. */
    private static Map<String, List<String>> headers(HeaderMap headers) {
        Map<String, List<String>> copy = new HashMap<>();
        for (HeaderValues values : headers) {
            copy.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
        }
        return copy;
    }

    /** The script's handle on one request. */
    static final class Exchange {

        private final HttpServerExchange exchange;
        private final Received request;

        Exchange(HttpServerExchange exchange, Received request) {
            this.exchange = exchange;
            this.request = request;
        }

        Received request() {
            return request;
        }

        void respond(int status, String contentType, String body) throws IOException {
            exchange.setStatusCode(status);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
            exchange.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends a 200 event-stream head; the body follows chunk by chunk through {@link #send}. */
        void startEventStream() throws IOException {
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
            exchange.getOutputStream().flush();
        }

        /** Writes and flushes one network chunk. */
        void send(String chunk) throws IOException {
            OutputStream out = exchange.getOutputStream();
            out.write(chunk.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Closes the connection without ending the response. */
        void cutConnection() throws IOException {
            exchange.getConnection().close();
        }

        /**
         * Answers nothing until the client closes the connection. Undertow only notices a close when
         * it reads or writes, so this reads the idle socket itself, under Undertow's request
         * conduits: end of stream or a reset means the client closed it.
         */
        void hangUntilClosed() throws IOException {
            var socket = ((AbstractServerConnection) exchange.getConnection()).getOriginalSourceConduit();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (isOpen(socket)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the client kept the connection open");
                }
                socket.awaitReadable(50, TimeUnit.MILLISECONDS);
            }
            request.connectionClosed().complete(null);
        }

        private static boolean isOpen(StreamSourceConduit socket) {
            try {
                return socket.read(ByteBuffer.allocate(64)) >= 0;
            } catch (IOException reset) {
                return false;
            }
        }
    }
}
