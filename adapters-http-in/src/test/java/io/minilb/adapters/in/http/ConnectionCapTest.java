package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConnectionCapTest {

    private static final int CAP = 20;
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

    private final RunningServer server = new RunningServer(new FakeGenerations(), mock(ClusterAdminUseCase.class),
            RunningServer.settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT, CAP,
                    HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
            new MemoryBudget(1 << 20));
    private final List<RawHttpConnection> held = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RawHttpConnection connection : held) {
            connection.close();
        }
        server.close();
    }

    @Test
    void beyondTheCapANewConnectionIsClosedAtOnceAndAdmittedAgainWhenOthersClose() throws Exception {
        for (int i = 0; i < CAP; i++) {
            held.add(served()); // served, then kept open (keep-alive)
        }

        for (int attempt = 0; attempt < 3; attempt++) {
            try (RawHttpConnection refused = new RawHttpConnection(server.port())) {
                // Without the cap it would be served, or left waiting until the read times out (10 s) and fail.
                assertThat(refused.closedOrResetByServer()).isTrue();
            }
        }
        assertThat(held).allSatisfy(connection -> assertThat(isServed(connection)).isTrue());

        for (int i = 0; i < 5; i++) {
            held.remove(0).close();
        }
        // The server notices the closes asynchronously; then exactly the freed places are given again.
        await().untilAsserted(() -> {
            RawHttpConnection next = new RawHttpConnection(server.port());
            if (isServed(next)) {
                held.add(next);
            } else {
                next.close();
            }
            assertThat(held).hasSize(CAP);
        });
        try (RawHttpConnection refused = new RawHttpConnection(server.port())) {
            assertThat(refused.closedOrResetByServer()).isTrue();
        }
    }

    @Test
    void theCapIsLoweredToWhatTheDescriptorLimitAllows() {
        // 1,024 descriptors, 40 open at start: (1024 - 40 - 256) / 3 client connections with their two backends.
        assertThat(ConnectionCap.withinDescriptors(10_000, 1_024, 40)).isEqualTo(242);
        assertThat(ConnectionCap.withinDescriptors(10_000, 1_048_576, 40)).isEqualTo(10_000);
        assertThat(ConnectionCap.withinDescriptors(10_000, 200, 40)).as("never zero").isEqualTo(1);
    }

    private RawHttpConnection served() throws IOException {
        RawHttpConnection connection = new RawHttpConnection(server.port());
        assertThat(isServed(connection)).isTrue();
        return connection;
    }

    /** Sends a health check on the connection: true if answered 200, false if the server closed it instead. */
    private static boolean isServed(RawHttpConnection connection) {
        try {
            connection.send(HEALTH);
            return connection.readHead().status() == 200;
        } catch (IOException closed) {
            if (closed instanceof java.net.SocketTimeoutException) {
                throw new UncheckedIOException("neither served nor refused", closed);
            }
            return false;
        }
    }
}
