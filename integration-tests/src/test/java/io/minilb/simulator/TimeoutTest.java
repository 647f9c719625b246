package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static io.minilb.simulator.TestHttp.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TimeoutTest {
    private static PdPair pair;

    @BeforeAll
    static void startPair() {
        pair = PdPair.start(prefill -> prefill.waitingTimeout(Duration.ofMillis(300)),
                decode -> decode.bootstrapTimeout(Duration.ofMillis(300)));
    }

    @AfterAll
    static void stopPair() {
        pair.close();
    }

    @Test
    void aDecodeWhoseRoomNoPrefillServesFailsAfterTheBootstrapTimeout() {
        long room = PdPair.newRoom();
        long start = System.nanoTime();

        HttpResponse<String> answer = PdPair.join(TestHttp.post(pair.decode.url() + "/generate",
                pair.bootstrap(object().put("text", "alone"), room)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(json(answer).path("message").asText()).contains(String.valueOf(room));
        assertThat(pair.decode.state().rooms(RoomEvent.TIMED_OUT)).contains(room);
        assertThat(pair.decode.state().inFlightRequests()).isZero();
    }

    @Test
    void aStreamingDecodeReportsTheTimeoutInAnErrorFrame() {
        ObjectNode body = pair.bootstrap(object().put("text", "alone").put("stream", true), PdPair.newRoom());

        HttpResponse<String> answer = PdPair.join(TestHttp.post(pair.decode.url() + "/generate", body));

        assertThat(answer.statusCode()).isEqualTo(200);
        List<String> frames = sseData(answer.body());
        assertThat(frames).hasSize(2).last().isEqualTo("[DONE]");
        JsonNode error = json(frames.get(0)).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(500);
        assertThat(error.path("message").asText()).contains("no prefill request");
    }

    @Test
    void aPrefillWhoseDecodeNeverComesGivesUpAfterTheWaitingTimeout() {
        long room = PdPair.newRoom();

        HttpResponse<String> answer = PdPair.join(TestHttp.post(pair.prefill.url() + "/generate",
                pair.bootstrap(object().put("text", "alone"), room)));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(json(answer).path("message").asText()).contains("waiting timeout");
        assertThat(pair.prefill.state().rooms(RoomEvent.TIMED_OUT)).contains(room);
    }
}
