package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.simulator.TestHttp.rawPost;
import static io.minilb.e2e.E2e.readUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.RoomEvent;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client hanging up mid-request cancels both legs: the simulators see their connections closed. */
class ClientDisconnectE2eTest extends SharedTopologyTest {

    private static int inFlight() {
        return topology.all().stream().mapToInt(s -> s.state().inFlightRequests()).sum();
    }

    @Test
    void hangingUpMidStreamCancelsTheDecode() throws Exception {
        topology.decodes.forEach(d -> d.updateFaults(f -> f.withSlowMsPerToken(200)));
        ObjectNode body = generate("a slow stream to abandon", 200).put("stream", true);

        try (Socket client = rawPost(topology.lb.port(), "/generate", body)) {
            String received = readUntil(client, "data: {");
            assertThat(received).startsWith("HTTP/1.1 200");
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(PdTopology.cancelled(topology.decodes)).isEqualTo(1);
            assertThat(inFlight()).isZero();
        });
        assertThat(PdTopology.rooms(topology.decodes, RoomEvent.CANCELLED)).hasSize(1);
        assertThat(PdTopology.rooms(topology.decodes, RoomEvent.COMPLETED)).isEmpty();
    }

    @Test
    void hangingUpWhileThePrefillIsStillComputingCancelsBothLegs() throws Exception {
        topology.prefills.forEach(p -> p.updateFaults(f -> f.withSlowMsPerToken(500)));
        ObjectNode body = generate("a long prompt that the slow prefill will take many seconds to compute", 10)
                .put("stream", true);

        try (Socket client = rawPost(topology.lb.port(), "/generate", body)) {
            // both legs have arrived and are waiting, the prefill computing for several seconds
            // (the prefill claims its room a moment after the request arrives)
            await().atMost(Duration.ofSeconds(5)).until(() -> inFlight() == 2
                    && PdTopology.rooms(topology.prefills, RoomEvent.CLAIMED).size() == 1);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(PdTopology.cancelled(topology.decodes)).isEqualTo(1);
            assertThat(PdTopology.cancelled(topology.prefills)).isEqualTo(1);
            assertThat(inFlight()).isZero();
        });
        assertThat(PdTopology.rooms(topology.all(), RoomEvent.COMPLETED)).isEmpty();
    }

    @Test
    void hangingUpOnANonStreamedRequestCancelsBothLegs() throws Exception {
        topology.decodes.forEach(d -> d.updateFaults(f -> f.withHang(true)));

        try (Socket client = rawPost(topology.lb.port(), "/generate", generate("never answered", 4))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> inFlight() == 2);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(PdTopology.cancelled(topology.decodes)).isEqualTo(1);
            assertThat(PdTopology.cancelled(topology.prefills)).isEqualTo(1);
            assertThat(inFlight()).isZero();
        });
    }
}
