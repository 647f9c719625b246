package io.minilb.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minilb.reliability.support.InProcessCluster;
import io.minilb.reliability.support.OpenConnections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rule: beyond {@code --max-connections}, new client connections are refused at once (issue 8, finding 4, and the
 * descriptor exhaustion it caused).
 *
 * <p>Idle connections cost a client nothing, and without a cap each holds a descriptor and a connection's buffers in
 * mini-lb until its idle timeout: enough of them exhaust the descriptors, after which the accept loop backs off for up
 * to 30 s and nobody is served. With a cap of {@value #CAP}, {@value #CAP} idle connections are held and
 * {@value #EXTRA} more are opened: each of those must be closed by the server before it sends anything, and the cap
 * must be given back when the held ones close.
 */
class ConnectionCapTest {
    private static final int CAP = 20;
    private static final int EXTRA = 10;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final String PROMPT = "{\"text\":\"capped\",\"sampling_params\":{\"max_new_tokens\":2}}";

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndTheCapIsGivenBack() throws IOException {
        try (InProcessCluster cluster = InProcessCluster.start(
                config -> config.withLimits(config.limits().withMaxConnections(CAP)))) {
            int port = cluster.lb().port();
            List<Socket> held = new ArrayList<>();
            List<Socket> extra = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    held.add(connect(port));
                }
                // mini-lb accepts connections in the order they were made; once these are accepted, the next are extra
                await().atMost(PROMPTLY).until(() -> waitingForAccept(port) == 0);
                long start = System.nanoTime();
                for (int i = 0; i < EXTRA; i++) {
                    extra.add(connect(port));
                }

                for (Socket socket : extra) {
                    awaitClosedByServer(socket);
                }
                long allClosedMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(OpenConnections.to(port)).isEqualTo(CAP);
                for (Socket socket : held) {
                    assertStillOpen(socket);
                }
                assertThatThrownBy(() -> cluster.post("/generate", PROMPT, Duration.ofSeconds(20)))
                        .as("a request while the cap is reached").isInstanceOf(UncheckedIOException.class);
                System.out.printf("[figures] connection cap %d: %d connections beyond it all closed within %d ms of"
                        + " the first connect%n", CAP, EXTRA, allClosedMillis);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
                for (Socket socket : extra) {
                    socket.close();
                }
            }

            // the server may not have seen the held connections close yet
            await().atMost(PROMPTLY).ignoreException(UncheckedIOException.class).untilAsserted(() -> {
                HttpResponse<String> response = cluster.post("/generate", PROMPT, Duration.ofSeconds(20));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            });
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Waits for the server to close a connection on which nothing was sent: the client reads the end of the stream, or a reset. */
    private static void awaitClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout((int) PROMPTLY.toMillis());
        try {
            assertThat(socket.getInputStream().read()).as("what the server sent").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a connection beyond the cap is still open after " + PROMPTLY, e);
        } catch (SocketException reset) {
            // closed with a reset: also refused
        }
    }

    private static void assertStillOpen(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    /**
     * Connections on the listening socket's queue that mini-lb has not accepted yet: for a listening socket the
     * kernel's TCP table gives that count as its receive queue ("tx_queue:rx_queue" in hex).
     */
    private static long waitingForAccept(int port) throws IOException {
        String localPort = String.format(":%04X", port);
        long waiting = 0;
        for (Path table : List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"))) {
            if (!Files.exists(table)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(table)) {
                waiting += lines.skip(1).map(line -> line.trim().split("\\s+"))
                        .filter(fields -> fields[1].endsWith(localPort) && fields[3].equals("0A"))
                        .mapToLong(fields -> Long.parseLong(fields[4].split(":")[1], 16))
                        .sum();
            }
        }
        return waiting;
    }
}
