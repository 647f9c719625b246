package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.post;
import static io.minilb.simulator.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Passive failure detection: a decode that refuses connections fails a few requests, then its circuit opens and
 * it gets none; with no decode left, mini-lb answers 503 naming the decode side without sending anything.
 */
class WorkerFailoverE2eTest {

    /**
     * The default thresholds, with a timeout long enough that no half-open trial reaches the dead decode while a test
     * runs on a loaded machine; no health checks, so that only the breaker takes the decode out; without retries, so
     * that each failure the breaker counts reaches the client (with them, see {@link RetryE2eTest}).
     */
    private static final WorkerResilience RESILIENCE = WorkerResilience.defaults().withCircuitBreaker(
            new CircuitBreakerSettings(true, WorkerResilience.DEFAULT_CB_FAILURE_THRESHOLD,
                    WorkerResilience.DEFAULT_CB_SUCCESS_THRESHOLD, Duration.ofMinutes(10),
                    WorkerResilience.DEFAULT_CB_WINDOW)).withHealthChecksDisabled()
                    .withRetriesDisabled();
    private static final int THRESHOLD = WorkerResilience.DEFAULT_CB_FAILURE_THRESHOLD;

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @Test
    void aRefusingDecodeFailsAtMostTheThresholdThenEveryRequestSucceedsOnTheOther() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator dead = started.start(SimulatorConfig.decode());
        Simulator alive = started.start(SimulatorConfig.decode());
        MiniLb lb = startLb(prefill, List.of(dead, alive));
        dead.close();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4 * THRESHOLD + 10; i++) {
            HttpResponse<String> response = post(lb.url() + "/generate", generate("request " + i, 2));
            statuses.add(response.statusCode());
            if (response.statusCode() != 200) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
                assertThat(error(response).path("side").asText()).isEqualTo("decode");
            }
        }

        long failed = statuses.stream().filter(status -> status != 200).count();
        int lastFailure = statuses.lastIndexOf(502);
        // round robin sends every other request to the dead decode until its circuit opens
        assertThat(failed).as(statuses.toString()).isBetween(1L, (long) THRESHOLD);
        assertThat(lastFailure).as(statuses.toString()).isLessThan(2 * THRESHOLD);
        assertThat(statuses.subList(lastFailure + 1, statuses.size())).as(statuses.toString())
                .hasSizeGreaterThanOrEqualTo(2 * THRESHOLD + 10).containsOnly(200);
        assertThat(alive.state().requestCount("/generate")).isEqualTo(statuses.size() - failed);
    }

    @Test
    void withEveryDecodeDeadTheAnswerIs503NamingTheDecodeSideAndNothingIsSent() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator first = started.start(SimulatorConfig.decode());
        Simulator second = started.start(SimulatorConfig.decode());
        MiniLb lb = startLb(prefill, List.of(first, second));
        first.close();
        second.close();

        int refused = 0;
        HttpResponse<String> response = post(lb.url() + "/generate", generate("anyone?", 2));
        while (response.statusCode() == 502 && refused < 2 * THRESHOLD) {
            refused++;
            response = post(lb.url() + "/generate", generate("anyone?", 2));
        }
        assertThat(refused).as("both circuits open after the threshold each").isEqualTo(2 * THRESHOLD);
        long prefillRequests = settledRequestCount(prefill);

        for (int i = 0; i < 5; i++) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            JsonNode error = error(response);
            assertThat(error.path("type").asText()).isEqualTo("no_available_worker");
            assertThat(error.path("side").asText()).isEqualTo("decode");
            assertThat(error.path("message").asText())
                    .isEqualTo("no decode server is available (2 configured: 2 circuit open)");
            response = post(lb.url() + "/generate", generate("anyone?", 2));
        }
        assertThat(settledRequestCount(prefill)).as("refused before any leg was sent").isEqualTo(prefillRequests);
    }

    /** The prefill legs of the refused requests were cancelled: the count once none of them is left in flight. */
    private static long settledRequestCount(Simulator prefill) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> prefill.state().inFlightRequests() == 0);
        return prefill.state().requestCount("/generate");
    }

    private MiniLb startLb(Simulator prefill, List<Simulator> decodes) {
        MiniLb lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                decodes.stream().map(decode -> new DecodeWorker(decode.url())).toList(),
                Duration.ofSeconds(60)).withPolicy("round_robin").withResilience(RESILIENCE));
        return started.keep(lb);
    }

    private static JsonNode error(HttpResponse<String> response) {
        return json(response).path("error");
    }
}
