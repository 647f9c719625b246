package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static io.minilb.simulator.TestHttp.sseData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The simulator holds many streams at once without a thread per request. The waits are generous: on a loaded 2-core
 * machine a thousand connections and streams take a while, and only the outcome is under test, not the speed.
 */
class ConcurrencyTest {
    private static final int STREAMS = 1_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient PATIENT_CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PATIENCE)
            .build();

    @Test
    void aDecodeHoldsAThousandConcurrentStreams() {
        try (PdPair pair = PdPair.start(prefill -> prefill, decode -> decode.decodeMsPerToken(20))) {
            List<ObjectNode> bodies = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> decodes = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                ObjectNode body = object().put("text", "stream number " + i).put("stream", true);
                body.putObject("sampling_params").put("max_new_tokens", 10);
                bodies.add(pair.bootstrap(body, PdPair.newRoom()));
                decodes.add(TestHttp.post(PATIENT_CLIENT, pair.decode.url() + "/generate", body, PATIENCE));
            }
            await().atMost(PATIENCE).until(() -> pair.decode.state().inFlightRequests() == STREAMS);
            assertThat(simulatorThreads()).isLessThan(20);

            List<CompletableFuture<HttpResponse<String>>> prefills = bodies.stream()
                    .map(body -> TestHttp.post(PATIENT_CLIENT, pair.prefill.url() + "/generate", body, PATIENCE)).toList();

            for (int i = 0; i < STREAMS; i++) {
                List<String> frames = sseData(PdPair.join(decodes.get(i), PATIENCE).body());
                assertThat(json(frames.get(frames.size() - 2)).path("text").asText())
                        .isEqualTo(SimulatedModel.expectedText("stream number " + i, 10));
                assertThat(PdPair.join(prefills.get(i), PATIENCE).statusCode()).isEqualTo(200);
            }
            assertThat(pair.decode.state().rooms(RoomEvent.COMPLETED)).hasSize(STREAMS);
        }
    }

    private static long simulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("sglang-sim")).count();
    }
}
