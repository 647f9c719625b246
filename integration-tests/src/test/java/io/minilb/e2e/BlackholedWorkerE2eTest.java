package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.post;
import static io.minilb.e2e.E2e.postAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.application.health.HealthCheckSettings;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A decode that takes connections and never answers (frozen behind a relay): the first health check that times out
 * takes it out, and the requests already waiting on it are retried on the other decode, instead of holding their
 * clients for the request timeout.
 */
class BlackholedWorkerE2eTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Long enough for the servers that do answer, on a loaded machine. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    /** Far beyond what detection takes, so a request that waits for it shows. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final int WAITING = 6;

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @Test
    void requestsWaitingOnAFrozenDecodeAreRetriedAfterOneCheckTimeout() throws Exception {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator steady = started.start(SimulatorConfig.decode());
        Simulator frozenDecode = started.start(SimulatorConfig.decode());
        FreezableProxy relay = started.keep(new FreezableProxy(frozenDecode.port()));
        // No circuit breaker: only the health check can take the decode out. Failure threshold 3 (the default):
        // three refused checks would be needed, one check without an answer is enough.
        MiniLb lb = started.keep(MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                List.of(new DecodeWorker(steady.url()), new DecodeWorker(relay.url())), REQUEST_TIMEOUT)
                .withPolicy("round_robin")
                .withResilience(WorkerResilience.defaults().withCircuitBreakerDisabled().withHealth(
                        WorkerResilience.DEFAULT_HEALTH, new HealthCheckSettings(true, INTERVAL, CHECK_TIMEOUT, "/health")))));
        for (int i = 0; i < 4; i++) {
            assertThat(post(lb.url() + "/generate", generate("warm " + i, 2)).statusCode()).isEqualTo(200);
        }
        assertThat(frozenDecode.state().requestCount("/generate")).isEqualTo(2);

        relay.freeze();
        long frozenAt = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, WAITING)
                .mapToObj(i -> postAsync(lb.url() + "/generate", generate("while frozen " + i, 2)))
                .toList();

        await("every request answered").atMost(Duration.ofSeconds(60))
                .until(() -> answers.stream().allMatch(CompletableFuture::isDone));
        Duration slowest = Duration.ofNanos(System.nanoTime() - frozenAt);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().statusCode())
                .as(answer.join().body()).isEqualTo(200));
        assertThat(slowest).as("well within the request timeout").isLessThan(REQUEST_TIMEOUT.dividedBy(2));
        assertThat(frozenDecode.state().requestCount("/generate")).as("nothing reached it once frozen").isEqualTo(2);
        assertThat(steady.state().requestCount("/generate")).isEqualTo(2 + WAITING);
        LoggerFactory.getLogger(BlackholedWorkerE2eTest.class).info(
                "{} requests sent while a decode was frozen all answered within {} ms ({} s checks, {} s timeout)",
                WAITING, slowest.toMillis(), INTERVAL.toSeconds(), CHECK_TIMEOUT.toSeconds());
    }
}
