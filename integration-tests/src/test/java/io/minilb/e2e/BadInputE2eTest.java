package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.e2e.E2e.post;
import static io.minilb.simulator.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.bootstrap.MiniLb;
import io.minilb.simulator.Simulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Requests mini-lb must turn down itself: a JSON error with the right status, and no simulator sees anything. */
class BadInputE2eTest extends SharedTopologyTest {
    private static final long MAX_PAYLOAD = 1_024;
    private static MiniLb smallPayloadLb;

    @BeforeAll
    static void startSmallPayloadLb() {
        smallPayloadLb = topology.startLb(config -> config.withMaxPayloadBytes(MAX_PAYLOAD));
    }

    @AfterEach
    void noSimulatorReceivedAnything() {
        for (Simulator sim : topology.all()) {
            assertThat(sim.state().requestCounts()).as(sim.mode() + " " + sim.url()).isEmpty();
            assertThat(sim.state().recentRequests()).as(sim.mode() + " " + sim.url()).isEmpty();
        }
    }

    private static void assertJsonError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json(response).path("error").path("message").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/generate", "/v1/chat/completions", "/v1/completions"})
    void malformedJsonIs400(String path) {
        assertJsonError(post(topology.url(path), "{\"text\": \"unterminated"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2, 3]", "\"a string\"", "42", "null"})
    void nonObjectBodyIs400(String body) {
        assertJsonError(post(topology.url("/generate"), body), 400);
    }

    @Test
    void wrongMethodIs405() {
        assertJsonError(E2e.get(topology.url("/generate")), 405);
        assertJsonError(E2e.get(topology.url("/v1/chat/completions")), 405);
    }

    @Test
    void unknownPathIs404() {
        assertJsonError(post(topology.url("/no/such/path"), generate("hello", 2).toString()), 404);
        assertJsonError(E2e.get(topology.url("/nope")), 404);
    }

    @Test
    void bodyOverTheMaxPayloadIs413() {
        String prompt = "word ".repeat((int) MAX_PAYLOAD);
        assertJsonError(post(smallPayloadLb.url() + "/generate", generate(prompt, 2).toString()), 413);
    }

    @Test
    void aSmallBadBodyOnTheLimitedInstanceIsA400NotA413() {
        // a control for the 413 test: a small bad body on the same instance is a 400, not a 413
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(smallPayloadLb.url() + "/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{oops"))
                .build());
        assertJsonError(response, 400);
    }
}
