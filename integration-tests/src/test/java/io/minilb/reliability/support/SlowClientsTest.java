package io.minilb.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The slow clients against tiny servers whose behaviour is known. */
class SlowClientsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Accepts connections and runs {@code serve} on each in a thread of its own. */
    private static final class TinyServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        TinyServer(Consumer<Socket> serve) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        accepted.add(connection);
                        Thread handler = new Thread(() -> serve.accept(connection));
                        handler.setDaemon(true);
                        handler.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }

    /** A server that answers 408 and closes once it has received {@code bytes} bytes of a request. */
    private static Consumer<Socket> timeoutAfter(int bytes) {
        return connection -> {
            try {
                connection.getInputStream().readNBytes(bytes);
                connection.getOutputStream().write("HTTP/1.1 408 Request Timeout\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                connection.close();
            } catch (IOException ignored) {
                // the client left
            }
        };
    }

    @Test
    void slowlorisDripsTheRequestAndNotesWhenAndHowTheServerClosed() throws IOException {
        try (TinyServer server = new TinyServer(timeoutAfter(6));
             SlowClients clients = SlowClients.slowloris(server.uri(), 5, REQUEST, 2, Duration.ofMillis(50), PATIENCE)) {
            Duration last = clients.awaitAllClosed(PATIENCE);

            assertThat(last).isPositive();
            for (int i = 0; i < clients.count(); i++) {
                assertThat(clients.closedAfter(i)).isPresent();
                assertThat(clients.received(i)).startsWith("HTTP/1.1 408");
            }
        }
    }

    @Test
    void aServerThatKeepsTheConnectionsOpenIsNotReportedAsClosing() throws IOException {
        try (TinyServer server = new TinyServer(connection -> { });
             SlowClients clients = SlowClients.slowloris(server.uri(), 3, REQUEST, 2, Duration.ofMillis(50), PATIENCE)) {
            await().atMost(PATIENCE).until(() -> server.accepted.size() == 3);

            assertThatThrownBy(() -> clients.awaitAllClosed(Duration.ofSeconds(1)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("0 of 3");
            assertThat(clients.closedByServer()).isZero();
        }
    }

    @Test
    void aResetCountsAsClosed() throws IOException {
        Consumer<Socket> reset = connection -> {
            try {
                connection.getInputStream().readNBytes(REQUEST.length);
                connection.setSoLinger(true, 0);
                connection.close();
            } catch (IOException ignored) {
                // the client left
            }
        };
        try (TinyServer server = new TinyServer(reset); SlowClients clients = SlowClients.nonReading(server.uri(), 2, REQUEST)) {
            clients.awaitAllClosed(PATIENCE);

            assertThat(clients.received(0)).isEmpty();
        }
    }

    @Test
    void nonReadingClientsStallAServerThatWritesToThem() throws IOException {
        AtomicLong written = new AtomicLong();
        Consumer<Socket> firehose = connection -> {
            byte[] kilobyte = new byte[1024];
            try (InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                in.readNBytes(REQUEST.length);
                while (true) {
                    out.write(kilobyte); // blocks once the client's window and this socket's buffer are full
                    written.addAndGet(kilobyte.length);
                }
            } catch (IOException closed) {
                // the client left
            }
        };
        try (TinyServer server = new TinyServer(firehose); SlowClients clients = SlowClients.nonReading(server.uri(), 1, REQUEST)) {
            AtomicLong previous = new AtomicLong(-1);
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> written.get() > 0 && written.get() == previous.getAndSet(written.get()));

            assertThat(written.get()).isLessThan(16L << 20); // socket buffers, not a firehose
            assertThat(clients.closedByServer()).isZero();
        }
    }
}
