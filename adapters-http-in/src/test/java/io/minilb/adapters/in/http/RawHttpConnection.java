package io.minilb.adapters.in.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** An HTTP/1.1 client on a plain socket, for what HttpClient hides: partial bodies, hang-ups, chunk by chunk reads. */
final class RawHttpConnection implements AutoCloseable {

    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        this(port, 0);
    }

    /** A connection whose receive buffer is asked to be that small (0: the system's), to make a slow reader. */
    RawHttpConnection(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes); // before connecting, so the window is small from the start
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    Head readHead() throws IOException {
        String statusLine = readLine();
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    /** The whole body of a response whose head was read. */
    String readBody(Head head) throws IOException {
        if (head.header("content-length") != null) {
            return new String(in.readNBytes(Integer.parseInt(head.header("content-length"))), StandardCharsets.UTF_8);
        }
        StringBuilder body = new StringBuilder();
        for (String chunk = readChunk(); !chunk.isEmpty(); chunk = readChunk()) {
            body.append(chunk);
        }
        return body.toString();
    }

    /** The next chunk of a chunked body; empty for the last one. */
    String readChunk() throws IOException {
        int size = Integer.parseInt(readLine().trim(), 16);
        String data = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        readLine();
        return data;
    }

    /** True when the server closed the connection: the next read sees its end. */
    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    /** True when the server closed the connection, abruptly (a reset) or not; false if it sends a byte instead. */
    boolean closedOrResetByServer() {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
