package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.get;
import static io.minilb.e2e.E2e.post;
import static io.minilb.e2e.E2e.postAsync;
import static io.minilb.e2e.E2e.sseJson;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.bootstrap.MiniLb;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.Faults;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker API on live simulators: a decode added while serving gets traffic; removed, it finishes its stream in
 * flight and gets nothing new; {@code /readiness} follows whether a pair can be served.
 */
class WorkerApiE2eTest {

    private static final int STREAM_TOKENS = 60;
    /** Short, so that an added worker joins within a second or so. */
    private static final Duration HEALTH_CHECK_INTERVAL = Duration.ofSeconds(1);

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @Test
    void aDecodeAddedServesTrafficAndRemovedFinishesItsStreamThenGetsNoMore() throws Exception {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator configured = started.start(SimulatorConfig.decode());
        // Slow enough that its stream is still running when it is removed, however loaded the machine.
        Simulator added = started.start(SimulatorConfig.decode().faults(Faults.NONE.withSlowMsPerToken(100)));
        MiniLb lb = startLb(prefill, configured);
        assertThat(get(lb.url() + "/readiness").statusCode()).isEqualTo(200);

        HttpResponse<String> created = post(lb.url() + "/workers",
                "{\"url\": \"" + added.url() + "\", \"worker_type\": \"decode\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = json(created).get("worker_id").asText();
        // An added worker gets traffic once its first health check passed.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> json(get(lb.url() + "/workers/" + id)).get("is_healthy").asBoolean());
        JsonNode listed = json(get(lb.url() + "/workers"));
        assertThat(listed.get("total").asInt()).isEqualTo(3);
        assertThat(listed.get("workers").get(2).get("url").asText()).isEqualTo(added.url());
        assertThat(listed.get("workers").get(2).get("origin").asText()).isEqualTo("api");

        // round robin: two streams, one on each decode
        var firstStream = postAsync(lb.url() + "/generate", generate("stream one", STREAM_TOKENS).put("stream", true));
        var secondStream = postAsync(lb.url() + "/generate", generate("stream two", STREAM_TOKENS).put("stream", true));
        await().atMost(Duration.ofSeconds(20)).until(() -> added.state().inFlightRequests() == 1);

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(lb.url() + "/workers/" + id))
                .DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        assertThat(json(deleted).get("message").asText()).contains("the 1 in flight finish first");
        assertThat(json(get(lb.url() + "/workers/" + id)).get("status").asText()).isEqualTo("draining");

        long addedRequests = added.state().requestCount("/generate");
        for (int i = 0; i < 4; i++) {
            assertThat(post(lb.url() + "/generate", generate("after removal " + i, 2)).statusCode()).isEqualTo(200);
        }
        assertThat(added.state().requestCount("/generate")).isEqualTo(addedRequests);

        for (CompletableFuture<HttpResponse<String>> stream : List.of(firstStream, secondStream)) {
            HttpResponse<String> response = stream.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            assertThat(sseJson(response.body())).last()
                    .satisfies(frame -> assertThat(frame.path("meta_info").path("completion_tokens").asInt())
                            .isEqualTo(STREAM_TOKENS));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get(lb.url() + "/workers/" + id).statusCode() == 404);
        assertThat(json(get(lb.url() + "/list_workers")).get("urls")).hasSize(2);
    }

    @Test
    void readinessFailsWhenTheLastDecodeIsRemovedAndRecoversWhenOneIsAdded() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator decode = started.start(SimulatorConfig.decode());
        MiniLb lb = startLb(prefill, decode);

        HttpResponse<String> removed = post(lb.url() + "/remove_worker?url=" + decode.url(), "");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);

        HttpResponse<String> notReady = get(lb.url() + "/readiness");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json(notReady).get("error").get("side").asText()).isEqualTo("decode");
        assertThat(get(lb.url() + "/health").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = post(lb.url() + "/generate", generate("nobody decodes", 2));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(json(refused).get("error").get("type").asText()).isEqualTo("no_available_worker");

        HttpResponse<String> added = post(lb.url() + "/add_worker?url=" + decode.url() + "&worker_type=decode", "");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(lb.url() + "/readiness").statusCode() == 200);
        assertThat(post(lb.url() + "/generate", generate("decoded again", 2)).statusCode()).isEqualTo(200);
    }

    private MiniLb startLb(Simulator prefill, Simulator decode) {
        MiniLb lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                List.of(new DecodeWorker(decode.url())), Duration.ofSeconds(60)).withPolicy("round_robin")
                .withResilience(WorkerResilience.defaults().withHealth(WorkerResilience.defaults().health(),
                        new HealthCheckSettings(true, HEALTH_CHECK_INTERVAL, Duration.ofSeconds(5), "/health"))));
        return started.keep(lb);
    }
}
