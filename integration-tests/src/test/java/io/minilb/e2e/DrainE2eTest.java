package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.get;
import static io.minilb.e2e.E2e.post;
import static io.minilb.e2e.E2e.postAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stop drains: {@code /health} and {@code /readiness} turn 503 at once, so that a Kubernetes Service (or any
 * upstream balancer) takes mini-lb out, but requests that still arrive are served, because the endpoints of such a
 * Service update seconds after readiness fails; the stop ends when the last request has.
 */
class DrainE2eTest {

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @Test
    void whileDrainingHealthIs503ButNewRequestsAreStillServedAndTheStopWaitsForThem() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        // 120 tokens at 100 ms: the first request is still being answered when the second one is, even when loaded.
        Simulator decode = started.start(SimulatorConfig.decode().decodeMsPerToken(100));
        MiniLb lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                List.of(new DecodeWorker(decode.url())), Duration.ofSeconds(60))
                .withResilience(WorkerResilience.defaults().withHealthChecksDisabled()));
        CompletableFuture<HttpResponse<String>> before = postAsync(lb.url() + "/generate", generate("before", 120));
        await().atMost(Duration.ofSeconds(20)).until(() -> decode.state().inFlightRequests() == 1);

        CompletableFuture<Void> stop = CompletableFuture.runAsync(lb::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(lb.url() + "/health").statusCode() == 503);
        assertThat(get(lb.url() + "/readiness").statusCode()).isEqualTo(503);

        HttpResponse<String> during = post(lb.url() + "/generate", generate("during the drain", 2));
        assertThat(during.statusCode()).as(during.body()).isEqualTo(200);
        assertThat(stop).as("the stop waits for the first request").isNotDone();
        assertThat(before.join().statusCode()).isEqualTo(200);
        assertThat(stop).succeedsWithin(Duration.ofSeconds(20));
    }
}
