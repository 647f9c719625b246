package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FaultsTest extends SharedPdPairTest {

    private static ObjectNode request(int maxTokens, boolean stream) {
        ObjectNode body = object().put("text", "fault injection").put("stream", stream);
        body.putObject("sampling_params").put("max_new_tokens", maxTokens);
        return pair.bootstrap(body, PdPair.newRoom());
    }

    private static JsonNode postAdmin(String url, String body) {
        return json(TestHttp.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()));
    }

    @Test
    void errorStatusAnswersGenerationRequestsAtOnce() {
        pair.decode.setFaults(Faults.NONE.withErrorStatus(503));

        HttpResponse<String> answer = PdPair.join(TestHttp.post(pair.decode.url() + "/generate", request(2, false)));

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(json(answer).path("code").asInt()).isEqualTo(503);
        assertThat(TestHttp.get(pair.decode.url() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsAreSetAndClearedThroughTheAdminApi() {
        JsonNode faults = postAdmin(pair.decode.url() + "/_sim/faults", "{\"error_status\": 500, \"health_failing\": true}");
        assertThat(faults.path("error_status").asInt()).isEqualTo(500);
        assertThat(pair.decode.faults().healthFailing()).isTrue();
        assertThat(TestHttp.get(pair.decode.url() + "/health").statusCode()).isEqualTo(503);
        assertThat(TestHttp.get(pair.decode.url() + "/health_generate").statusCode()).isEqualTo(503);

        faults = postAdmin(pair.decode.url() + "/_sim/faults", "{\"error_status\": null}");
        assertThat(faults.path("error_status").isNull()).isTrue();
        assertThat(faults.path("health_failing").asBoolean()).isTrue();

        JsonNode state = postAdmin(pair.decode.url() + "/_sim/reset", "");
        assertThat(state.at("/faults/health_failing").asBoolean()).isFalse();
        assertThat(TestHttp.send(HttpRequest.newBuilder(URI.create(pair.decode.url() + "/_sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"explode\": true}")).build()).statusCode()).isEqualTo(400);
    }

    @Test
    void slowAddsLatencyPerToken() {
        pair.decode.setFaults(Faults.NONE.withSlowMsPerToken(40));
        long start = System.nanoTime();

        PdPair.Answers answers = pair.send("/generate", request(6, false));

        assertThat(answers.decode().statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void dropClosesAStreamAfterTheGivenNumberOfFrames() throws Exception {
        pair.decode.setFaults(Faults.NONE.withDropAfterFrames(2));
        ObjectNode body = request(6, true);

        try (Socket decode = TestHttp.rawPost(pair.decode.port(), "/generate", body)) {
            PdPair.join(TestHttp.post(pair.prefill.url() + "/generate", body));
            String received = TestHttp.readUntilClosed(decode);

            assertThat(received).startsWith("HTTP/1.1 200");
            assertThat(received.split("data: \\{", -1)).hasSize(3);
            assertThat(received).doesNotContain("[DONE]");
        }
    }

    @Test
    void dropClosesANonStreamedAnswersConnection() {
        pair.decode.setFaults(Faults.NONE.withDropAfterFrames(0));

        ObjectNode body = request(2, false);

        CompletableFuture<HttpResponse<String>> decode = TestHttp.post(pair.decode.url() + "/generate", body);
        PdPair.join(TestHttp.post(pair.prefill.url() + "/generate", body));

        assertThat(decode).failsWithin(Duration.ofSeconds(2))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class);
        assertThat(pair.decode.state().rooms(RoomEvent.COMPLETED)).contains(body.path("bootstrap_room").asLong());
    }

    @Test
    void refusingConnectionsClosesTheHttpPortUntilRestoredThroughTheBootstrapPort() throws Exception {
        String viaBootstrapPort = "http://127.0.0.1:" + pair.prefill.bootstrapPort() + "/_sim/faults";
        postAdmin(viaBootstrapPort, "{\"refuse_connections\": true}");

        assertThatThrownBy(() -> new Socket("127.0.0.1", pair.prefill.port()).close()).isInstanceOf(ConnectException.class);

        postAdmin(viaBootstrapPort, "{\"refuse_connections\": false}");
        assertThat(TestHttp.get(pair.prefill.url() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aDecodeCanServeTheAdminApiOnItsOwnPort() {
        try (Simulator decode = SimulatorConfig.decode().adminPort(0).faults(Faults.NONE.withRefuseConnections(true)).start()) {
            String admin = "http://127.0.0.1:" + decode.adminPort().orElseThrow();
            assertThat(json(TestHttp.get(admin + "/_sim/faults")).path("refuse_connections").asBoolean()).isTrue();

            postAdmin(admin + "/_sim/faults", "{\"refuse_connections\": false}");

            assertThat(TestHttp.get(decode.url() + "/health").statusCode()).isEqualTo(200);
            assertThat(TestHttp.get(admin + "/generate").statusCode()).isEqualTo(404);
        }
    }
}
