package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a balancer's tests rely on to prove it cancels both legs: the simulator notices the connection closing. */
class ClientDisconnectTest {
    private static PdPair pair;

    @BeforeAll
    static void startPair() {
        pair = PdPair.start(prefill -> prefill, decode -> decode.decodeMsPerToken(20));
    }

    @AfterAll
    static void stopPair() {
        pair.close();
    }

    @AfterEach
    void clear() {
        pair.prefill.reset();
        pair.decode.reset();
    }

    private static ObjectNode request(long room, boolean stream, int maxTokens) {
        ObjectNode body = object().put("text", "hang up on me").put("stream", stream);
        body.putObject("sampling_params").put("max_new_tokens", maxTokens);
        return pair.bootstrap(body, room);
    }

    @Test
    void aClientHangingUpOnAHungRequestIsCounted() throws Exception {
        pair.decode.setFaults(Faults.NONE.withHang(true));
        long room = PdPair.newRoom();

        Socket client = TestHttp.rawPost(pair.decode.port(), "/generate", request(room, false, 500));
        await().atMost(Duration.ofSeconds(2)).until(() -> pair.decode.state().inFlightRequests() == 1);
        client.close();

        await().atMost(Duration.ofSeconds(2)).until(() -> pair.decode.state().cancelledRequests() == 1);
        assertThat(pair.decode.state().inFlightRequests()).isZero();
        assertThat(pair.decode.state().rooms(RoomEvent.CANCELLED)).containsExactly(room);
    }

    @Test
    void aClientHangingUpMidStreamIsCountedAndGenerationStops() throws Exception {
        long room = PdPair.newRoom();
        ObjectNode body = request(room, true, 500);

        try (Socket client = TestHttp.rawPost(pair.decode.port(), "/generate", body)) {
            PdPair.join(TestHttp.post(pair.prefill.url() + "/generate", body));
            long kvSent = System.nanoTime();
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[4096];
            String received = "";
            while (!received.contains("data: {")) {
                received += new String(buffer, 0, in.read(buffer), StandardCharsets.UTF_8);
            }
            // frames are flushed as generated: the first comes long before the 500 tokens are done
            assertThat(Duration.ofNanos(System.nanoTime() - kvSent)).isLessThan(Duration.ofSeconds(2));
        }

        await().atMost(Duration.ofSeconds(2)).until(() -> pair.decode.state().cancelledRequests() == 1);
        assertThat(pair.decode.state().inFlightRequests()).isZero();
        assertThat(pair.decode.state().rooms(RoomEvent.CANCELLED)).containsExactly(room);
    }

    @Test
    void aDecodeHungUpOnWhileWaitingForKvReleasesItsClaim() throws Exception {
        long room = PdPair.newRoom();

        Socket client = TestHttp.rawPost(pair.decode.port(), "/generate", request(room, false, 500));
        await().atMost(Duration.ofSeconds(2)).until(() -> pair.prefill.state().rooms(RoomEvent.CLAIMED).contains(room));
        client.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> pair.decode.state().cancelledRequests() == 1);

        // the room can be claimed again: the abandoned long poll no longer holds it
        PdPair.Answers answers = pair.send("/generate", request(room, false, 2));
        assertThat(answers.decode().statusCode()).isEqualTo(200);
    }
}
