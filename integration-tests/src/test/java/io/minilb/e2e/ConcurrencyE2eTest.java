package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.e2e.E2e.postAsync;
import static io.minilb.simulator.TestHttp.sseData;
import static io.minilb.e2e.E2e.sseJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.SimulatedModel;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 200 concurrent requests, half streamed, all answered with the exact text and every rendezvous completed. */
class ConcurrencyE2eTest extends SharedTopologyTest {
    private static final int REQUESTS = 200;

    @Test
    void twoHundredConcurrentRequestsAllSucceedWithExactText() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            futures.add(postAsync(topology.url("/generate"),
                    generate(prompt(i), tokens(i)).put("stream", i % 2 == 0)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(45, TimeUnit.SECONDS);

        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> response = futures.get(i).join();
            String expected = SimulatedModel.expectedText(prompt(i), tokens(i));
            assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
            if (i % 2 == 0) {
                assertThat(sseData(response.body())).as("request %d", i).last().isEqualTo("[DONE]");
                List<JsonNode> frames = sseJson(response.body());
                assertThat(frames.get(frames.size() - 1).path("text").asText()).as("request %d", i).isEqualTo(expected);
            } else {
                assertThat(json(response).path("text").asText()).as("request %d", i).isEqualTo(expected);
            }
        }

        List<Long> decodeRooms = PdTopology.rooms(topology.decodes, RoomEvent.COMPLETED);
        List<Long> prefillRooms = PdTopology.rooms(topology.prefills, RoomEvent.COMPLETED);
        assertThat(decodeRooms).hasSize(REQUESTS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(prefillRooms)).isEqualTo(new HashSet<>(decodeRooms));
        assertThat(PdTopology.rooms(topology.all(), RoomEvent.TIMED_OUT)).isEmpty();
        assertThat(PdTopology.rooms(topology.all(), RoomEvent.FAILED)).isEmpty();
        assertThat(PdTopology.rooms(topology.all(), RoomEvent.CANCELLED)).isEmpty();
        assertThat(topology.count(topology.prefills, "/generate")).isEqualTo(REQUESTS);
        assertThat(topology.count(topology.decodes, "/generate")).isEqualTo(REQUESTS);
    }

    private static String prompt(int i) {
        return "concurrent request number " + i + " with words " + (i * 7919);
    }

    private static int tokens(int i) {
        return 4 + i % 13;
    }
}
