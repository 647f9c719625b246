package io.minilb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /_sim/state} counts the client connections open on the HTTP port, requests or not. */
class ConnectionCountTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void connectionsAreCountedFromAcceptToCloseEvenWithoutARequest() throws Exception {
        try (Simulator decode = SimulatorConfig.decode().start()) {
            assertThat(decode.state().openConnections()).isZero();
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                idle.add(new Socket("127.0.0.1", decode.port()));
            }
            await().atMost(PATIENCE).until(() -> decode.state().openConnections() == 3);

            idle.remove(0).close();
            await().atMost(PATIENCE).until(() -> decode.state().openConnections() == 2);

            // connections outlive the listening socket: still counted while the port refuses new ones
            decode.setFaults(Faults.NONE.withRefuseConnections(true));
            assertThat(decode.state().openConnections()).isEqualTo(2);
            decode.setFaults(Faults.NONE);
            idle.add(new Socket("127.0.0.1", decode.port()));
            await().atMost(PATIENCE).until(() -> decode.state().openConnections() == 3);

            for (Socket socket : idle) {
                socket.close();
            }
            await().atMost(PATIENCE).until(() -> decode.state().openConnections() == 0);
        }
    }

    @Test
    void theStateReportsOpenConnectionsAndStreams() {
        try (Simulator decode = SimulatorConfig.decode().start()) {
            JsonNode state = TestHttp.json(TestHttp.get(decode.url() + "/_sim/state"));

            assertThat(state.path("open_connections").asInt()).isGreaterThanOrEqualTo(1); // this request's own
            assertThat(state.path("streams").isArray()).isTrue();
        }
    }
}
