package io.minilb.adapters.out.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;

/**
 * A one-request HTTP server on a loopback ephemeral port that writes exactly the bytes its test gives
 * it, in the writes it gives them: for what Undertow cannot be made to do, such as putting a response
 * head, body chunks and the connection's close into one TCP segment.
 */
final class RawHttpServer implements AutoCloseable {

    @FunctionalInterface
    interface Script {
        /** Answers the request, whose head and body have been read, on {@code out}. */
        void answer(OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;

    private RawHttpServer(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serveOne(script), "raw-http-server");
        thread.setDaemon(true);
        thread.start();
    }

    static RawHttpServer start(Script script) throws IOException {
        return new RawHttpServer(script);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(StubServer.PATIENCE_SECONDS * 1000);
    }

    private void serveOne(Script script) {
        try (Socket socket = server.accept()) {
            socket.setSoTimeout((int) StubServer.PATIENCE_SECONDS * 1000);
            socket.setTcpNoDelay(true);
            readRequest(socket.getInputStream());
            script.answer(socket.getOutputStream());
        } catch (Exception e) {
            // The test asserts on what the client saw; a closed server socket just ends the stub.
        }
    }

    /** Reads the request head and its Content-Length body, so closing sends a FIN rather than a reset. */
    private static void readRequest(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request head cut short");
            }
            head.write(b);
        }
        int length = 0;
        for (String line : head.toString(ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        in.readNBytes(length);
    }

    /** One chunk of a chunked body. */
    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(ISO_8859_1).length) + "\r\n" + data + "\r\n";
    }

    static final String EVENT_STREAM_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
}
