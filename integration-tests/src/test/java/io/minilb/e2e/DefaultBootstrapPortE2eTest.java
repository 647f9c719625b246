package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.e2e.E2e.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.SimulatedModel;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A prefill configured without a bootstrap port: mini-lb sends {@code bootstrap_port: null} and the decode falls
 * back to its own default bootstrap port (SGLang's 8998 when free), where the prefill's bootstrap server listens.
 */
class DefaultBootstrapPortE2eTest {

    @Test
    void rendezvousCompletesOnTheDefaultBootstrapPort() {
        // SGLang's default is 8998 (the decode simulator's default too); another process on this host may hold
        // it, so both sides agree on a free port instead, as servers started with the same
        // --disaggregation-bootstrap-port would. The decode learns it from its own config only.
        int defaultPort = E2e.portFree(SimulatorConfig.SGLANG_BOOTSTRAP_PORT)
                ? SimulatorConfig.SGLANG_BOOTSTRAP_PORT : E2e.unusedPort();
        try (Simulator prefill = SimulatorConfig.prefill().bootstrapPort(defaultPort).start();
             Simulator decode = SimulatorConfig.decode().bootstrapPort(defaultPort).start();
             MiniLb lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                     List.of(PrefillWorker.withoutBootstrapPort(prefill.url())),
                     List.of(new DecodeWorker(decode.url())), Duration.ofSeconds(30))
                     // mini-lb checks the bootstrap server on 8998, which is not this prefill's when 8998 is taken
                     .withResilience(WorkerResilience.defaults().withHealthChecksDisabled()))) {
            String prompt = "default bootstrap port please";

            HttpResponse<String> response = post(lb.url() + "/generate", generate(prompt, 6));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).path("text").asText()).isEqualTo(SimulatedModel.expectedText(prompt, 6));
            JsonNode sent = decode.state().recentRequests().get(0).body();
            assertThat(sent.has("bootstrap_port")).as(sent.toString()).isTrue();
            assertThat(sent.get("bootstrap_port").isNull()).as(sent.toString()).isTrue();
            assertThat(prefill.state().rooms(RoomEvent.CLAIMED)).hasSize(1);
            assertThat(prefill.state().rooms(RoomEvent.COMPLETED)).hasSize(1);
            assertThat(decode.state().rooms(RoomEvent.COMPLETED)).isEqualTo(prefill.state().rooms(RoomEvent.COMPLETED));
        }
    }
}
