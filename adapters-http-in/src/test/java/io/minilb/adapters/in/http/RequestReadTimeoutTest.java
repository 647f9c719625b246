package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow senders: a client gets the request read timeout to send its whole request, then its connection is closed. */
@Timeout(60)
class RequestReadTimeoutTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** Far below Undertow's own limits (idle connections closed at 60 s, partial requests never). */
    private static final Duration CLOSED_WITHIN = READ_TIMEOUT.plusSeconds(9);
    private static final String PARTIAL_HEAD = "POST /generate HTTP/1.1\r\nHost: test\r\nContent-Type: app";

    private final FakeGenerations generations = new FakeGenerations();
    private final MemoryBudget budget = new MemoryBudget(1 << 20);
    private final RunningServer server = new RunningServer(generations, mock(ClusterAdminUseCase.class),
            RunningServer.settings(READ_TIMEOUT, 1_000, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES), budget);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aHeadSentByteByByteIsCutAtTheTimeoutNotKeptAliveByEachByte() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send(PARTIAL_HEAD);
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> trickle(client)); // a byte every 100 ms: never idle for long
            trickle.start();

            // Undertow cannot answer a request whose head it has not read: the connection is closed, with no status.
            assertThat(client.closedOrResetByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(READ_TIMEOUT, CLOSED_WITHIN);
            trickle.join();
        }
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void aBodyNotSentInTimeGets408AndTheConnectionIsClosed() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send("POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n{\"text\": ");
            long start = System.nanoTime();

            RawHttpConnection.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(408);
            assertThat(client.readBody(head)).isEqualTo("{\"error\":{\"message\":\"the request body was not received "
                    + "within 1000 ms\",\"type\":\"request_timeout\"}}");
            assertThat(client.closedOrResetByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(READ_TIMEOUT, CLOSED_WITHIN);
        }
        assertThat(generations.noneRouted()).isTrue();
        await().until(() -> budget.heldBytes() == 0);
    }

    @Test
    void aBodyCompletedInTimeIsServedAndLeavesNoTimerBehind() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send("POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: 14\r\n\r\n{\"text\": ");
            client.send("\"hi\"}");
            FakeGenerations.Generation generation = generations.next();
            // Past the body's deadline: a timer left armed would answer 408, ending the exchange and the call.
            await().during(READ_TIMEOUT.multipliedBy(2)).atMost(CLOSED_WITHIN).until(() -> !generation.isCancelled());
            generation.observer.onResponse(200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));

            RawHttpConnection.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(client.readBody(head)).isEqualTo("ok");
        }
    }

    @Test
    void twoHundredSlowClientsAreAllClosedAtTheTimeout() throws Exception {
        List<SocketChannel> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
                String sent = switch (i % 3) {
                    case 0 -> PARTIAL_HEAD;
                    case 1 -> "POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n{\"te";
                    default -> ""; // connected, silent
                };
                client.write(ByteBuffer.wrap(sent.getBytes(StandardCharsets.US_ASCII)));
                client.configureBlocking(false);
                clients.add(client);
            }

            await().atMost(CLOSED_WITHIN).until(() -> clients.stream().allMatch(RequestReadTimeoutTest::closedByServer));
            assertThat(generations.noneRouted()).isTrue();
            await().until(() -> budget.heldBytes() == 0);
            // The server is still serving.
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    /** Reads what the server sent (a 408 for a partial body); true once it closed or reset the connection. */
    static boolean closedByServer(SocketChannel client) {
        ByteBuffer sink = ByteBuffer.allocate(1024);
        try {
            int read;
            do {
                sink.clear();
                read = client.read(sink);
            } while (read > 0);
            return read == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void trickle(RawHttpConnection client) {
        try {
            for (int sent = 0; sent < 1_000; sent++) {
                client.send("x");
                Thread.sleep(100); // the attacker's pace, not a wait for a condition
            }
        } catch (IOException | InterruptedException closed) {
            // the server closed the connection: the attack is over
        }
    }
}
