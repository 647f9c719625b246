package io.minilb.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.bootstrap.config.Timeouts;
import io.minilb.reliability.support.InProcessCluster;
import io.minilb.reliability.support.OpenConnections;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.TestHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule: a timeout names the server that kept the generation waiting, and ends both legs (issue 8, finding 6).
 *
 * <p>When a prefill freezes, its decode has already answered a stream's head (SGLang sends it before the KV transfer,
 * and so does the simulator, which the first test checks) and waits for KV that never comes: reported as the decode's
 * timeout, the operator would look at the wrong server. Whichever side froze, both legs must be closed at the timeout
 * (the frozen server and its waiting partner see their requests cancelled), or each timed-out request would leave two
 * connections and a KV reservation behind.
 */
class TimeoutSideTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String STREAM = "{\"text\":\"frozen\",\"stream\":true,\"sampling_params\":{\"max_new_tokens\":4}}";
    private static final String WHOLE = "{\"text\":\"frozen\",\"sampling_params\":{\"max_new_tokens\":4}}";

    private InProcessCluster cluster;
    private Simulator prefill;
    private Simulator decode;

    @BeforeEach
    void start() {
        cluster = InProcessCluster.start(config -> config.withTimeouts(Timeouts.withRequestTimeout(REQUEST_TIMEOUT)));
        prefill = cluster.prefill();
        decode = cluster.decode().orElseThrow();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** The premise of the next test: the decode starts its stream while it waits for the prefill's KV. */
    @Test
    void theSimulatedDecodeSendsItsStreamHeadBeforeTheKv() throws Exception {
        prefill.updateFaults(faults -> faults.withHang(true));
        String body = STREAM.replace("{\"text\"", "{\"bootstrap_host\":\"127.0.0.1\",\"bootstrap_port\":"
                + prefill.bootstrapPort() + ",\"bootstrap_room\":7,\"text\"");

        HttpResponse<InputStream> head = TestHttp.CLIENT.send(HttpRequest.newBuilder(URI.create(decode.url() + "/generate"))
                .timeout(PATIENCE).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = head.body()) {
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(decode.state().rooms(RoomEvent.COMPLETED)).isEmpty();
        }
    }

    @Test
    void aFrozenPrefillUnderAStreamIsThePrefillsTimeout() {
        prefill.updateFaults(faults -> faults.withHang(true));

        HttpResponse<String> response = cluster.post("/generate", STREAM, PATIENCE);

        // no frame ever came, so the client still gets a status rather than an error frame
        assertThat(cluster.assertError(response, 504, "backend_timeout").path("side").asText()).isEqualTo("prefill");
        assertBothLegsClosed(1);
    }

    @Test
    void aFrozenDecodeIsTheDecodesTimeout() {
        decode.updateFaults(faults -> faults.withHang(true));

        HttpResponse<String> response = cluster.post("/generate", WHOLE, PATIENCE);

        // neither answered (the prefill waits for the decode's claim): the decode, which owes the answer, is named
        assertThat(cluster.assertError(response, 504, "backend_timeout").path("side").asText()).isEqualTo("decode");
        assertBothLegsClosed(1);
    }

    @Test
    void aDecodeStalledAfterThePrefillAnsweredIsTheDecodesTimeout() {
        // the first token comes with the KV; the next would take a minute
        decode.updateFaults(faults -> faults.withSlowMsPerToken(60_000));

        HttpResponse<String> response = cluster.post("/generate", WHOLE, PATIENCE);

        assertThat(cluster.assertError(response, 504, "backend_timeout").path("side").asText()).isEqualTo("decode");
        assertThat(prefill.state().rooms(RoomEvent.COMPLETED)).hasSize(1);
        assertBothLegsClosed(0);
    }

    /**
     * Nothing is in flight on either server, the decode's request was cancelled (and the prefill's, if it had not
     * answered), and no connection to either is left once the pool has evicted its idle ones.
     */
    private void assertBothLegsClosed(long prefillCancelled) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(prefill.state().inFlightRequests()).isZero();
            assertThat(decode.state().inFlightRequests()).isZero();
            assertThat(prefill.state().cancelledRequests()).isEqualTo(prefillCancelled);
            assertThat(decode.state().cancelledRequests()).isEqualTo(1);
            assertThat(OpenConnections.to(prefill.port())).isZero();
            assertThat(OpenConnections.to(decode.port())).isZero();
        });
    }
}
