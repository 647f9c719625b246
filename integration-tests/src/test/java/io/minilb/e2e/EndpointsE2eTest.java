package io.minilb.e2e;

import static io.minilb.e2e.E2e.get;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.e2e.E2e.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.Simulator;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The non-generation endpoints of mini-lb against 2 prefill + 2 decode simulators. */
class EndpointsE2eTest extends SharedTopologyTest {

    @Test
    void healthIs200WhileServing() {
        assertThat(get(topology.url("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void healthGenerateIs200WhenEveryServerIsHealthyAndAsksEveryServer() {
        HttpResponse<String> response = get(topology.url("/health_generate"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (Simulator sim : topology.all()) {
            assertThat(sim.state().requestCount("/health_generate")).as(sim.url()).isEqualTo(1);
        }
    }

    @Test
    void healthGenerateIs503NamingTheFailedServer() {
        Simulator sick = topology.decodes.get(1);
        sick.updateFaults(f -> f.withHealthFailing(true));

        HttpResponse<String> response = get(topology.url("/health_generate"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains(sick.url());
        for (Simulator healthy : topology.all()) {
            if (healthy != sick) {
                assertThat(response.body()).doesNotContain(healthy.url());
            }
        }
    }

    @Test
    void healthGenerateIs503NamingAFailedPrefill() {
        Simulator sick = topology.prefills.get(0);
        sick.updateFaults(f -> f.withHealthFailing(true));

        HttpResponse<String> response = get(topology.url("/health_generate"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains(sick.url());
    }

    @Test
    void flushCacheReachesEveryServer() {
        HttpResponse<String> response = post(topology.url("/flush_cache"), "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (Simulator sim : topology.all()) {
            assertThat(sim.state().requestCount("/flush_cache")).as(sim.url()).isEqualTo(1);
        }
    }

    @Test
    void serverInfoHasInternalStatesAndOneInfoPerServer() {
        HttpResponse<String> response = get(topology.url("/get_server_info"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode info = json(response);
        assertThat(info.path("internal_states").isArray()).as(response.body()).isTrue();
        assertThat(info.path("internal_states")).as(response.body()).isNotEmpty();
        assertThat(info.path("prefill").isArray()).isTrue();
        assertThat(info.path("prefill")).hasSize(2);
        assertThat(info.path("decode").isArray()).isTrue();
        assertThat(info.path("decode")).hasSize(2);
        for (Simulator sim : topology.all()) {
            assertThat(sim.state().requestCount("/get_server_info")).as(sim.url()).isEqualTo(1);
        }
    }

    @Test
    void modelInfoComesFromAPrefill() {
        HttpResponse<String> response = get(topology.url("/get_model_info"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("model_path").asText()).isEqualTo("sim-model");
        assertThat(topology.count(topology.prefills, "/get_model_info")).isEqualTo(1);
        assertThat(topology.count(topology.decodes, "/get_model_info")).isZero();
    }

    @Test
    void modelsListComesFromAPrefill() {
        HttpResponse<String> response = get(topology.url("/v1/models"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode models = json(response);
        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("sim-model");
        assertThat(topology.count(topology.prefills, "/v1/models")).isEqualTo(1);
        assertThat(topology.count(topology.decodes, "/v1/models")).isZero();
    }
}
