package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.post;
import static io.minilb.e2e.E2e.postRequest;
import static io.minilb.simulator.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.bootstrap.MiniLb;
import io.minilb.simulator.Simulator;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each policy wired in and routing through real pairs; the prompt and the routing key reach them. */
class RoutingPoliciesE2eTest extends SharedTopologyTest {

    private static final String DOCUMENT = "Here is a long shared document that every question below refers to. ";

    @ParameterizedTest
    @ValueSource(strings = {"random", "round_robin", "power_of_two", "least_load", "cache_aware",
        "consistent_hashing", "prefix_hash"})
    void everyPolicyRoutesGenerations(String policy) {
        MiniLb lb = topology.startLb(config -> config.withPolicy(policy));
        for (int i = 0; i < 4; i++) {
            assertThat(post(lb.url() + "/generate", generate(DOCUMENT + "question " + i, 4)).statusCode())
                    .isEqualTo(200);
        }
        assertThat(topology.count(topology.prefills, "/generate")).isEqualTo(4);
        assertThat(topology.count(topology.decodes, "/generate")).isEqualTo(4);
    }

    @Test
    void cacheAwareSendsQuestionsOnOneDocumentToOnePrefill() {
        MiniLb lb = topology.startLb(config -> config.withPolicies("cache_aware", "round_robin"));
        for (int i = 0; i < 6; i++) {
            assertThat(post(lb.url() + "/generate", generate(DOCUMENT + "question " + i, 4)).statusCode())
                    .isEqualTo(200);
        }
        assertThat(counts(topology.prefills)).containsExactlyInAnyOrder(0L, 6L);
    }

    @Test
    void consistentHashingKeepsAConversationOnOneDecode() {
        MiniLb lb = topology.startLb(config -> config.withPolicies("round_robin", "consistent_hashing"));
        for (int i = 0; i < 6; i++) {
            HttpRequest request = HttpRequest.newBuilder(postRequest(lb.url() + "/generate",
                    generate("turn " + i, 4).toString()), (name, value) -> true)
                    .header("X-SMG-Routing-Key", "conversation-7").build();
            assertThat(send(request).statusCode()).isEqualTo(200);
        }
        assertThat(counts(topology.decodes)).containsExactlyInAnyOrder(0L, 6L);
    }

    private static List<Long> counts(List<Simulator> sims) {
        return sims.stream().map(sim -> sim.state().requestCount("/generate")).toList();
    }
}
