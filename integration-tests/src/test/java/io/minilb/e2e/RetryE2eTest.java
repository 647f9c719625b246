package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries before the first byte: with one decode down, refusing or resetting every connection or answering 503,
 * every non-streamed request is answered by the other, and the circuit breaker keeps the attempts on the dead one
 * to a few.
 */
class RetryE2eTest {

    private static final int REQUESTS = 200;
    private static final int CONCURRENCY = 8;
    private static final int THRESHOLD = WorkerResilience.DEFAULT_CB_FAILURE_THRESHOLD;
    /** The default thresholds, with no half-open trial while a test runs on a loaded machine. */
    private static final WorkerResilience RESILIENCE = WorkerResilience.defaults().withCircuitBreaker(
            new CircuitBreakerSettings(true, THRESHOLD, WorkerResilience.DEFAULT_CB_SUCCESS_THRESHOLD,
                    Duration.ofMinutes(10), WorkerResilience.DEFAULT_CB_WINDOW));

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @Test
    void withOneDecodeStoppedEveryRequestSucceeds() throws Exception {
        List<Simulator> prefills =
                List.of(started.start(SimulatorConfig.prefill()), started.start(SimulatorConfig.prefill()));
        Simulator stopped = started.start(SimulatorConfig.decode());
        Simulator alive = started.start(SimulatorConfig.decode());
        MiniLb lb = startLb(prefills, List.of(stopped.url(), alive.url()));
        stopped.close();

        assertThat(sendConcurrently(lb)).as("statuses of %d requests", REQUESTS).containsOnly(200);
        assertThat(alive.state().requestCount("/generate")).isEqualTo(REQUESTS);
    }

    @Test
    void aDecodeThatResetsEveryConnectionGetsAFewAttemptsAndNoRequestFails() throws Exception {
        List<Simulator> prefills =
                List.of(started.start(SimulatorConfig.prefill()), started.start(SimulatorConfig.prefill()));
        Simulator alive = started.start(SimulatorConfig.decode());
        try (var resetting = new ResettingServer()) {
            MiniLb lb = startLb(prefills, List.of(resetting.url(), alive.url()));

            assertThat(sendConcurrently(lb)).as("statuses of %d requests", REQUESTS).containsOnly(200);
            // Without the breaker, round robin would send it about half of the first attempts: 100.
            assertThat(resetting.accepted.get()).as("attempts on the resetting decode")
                    .isBetween(1, THRESHOLD + CONCURRENCY);
        }
    }

    @Test
    void aDecodeAnswering503IsRetriedOnTheOther() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator overloaded = started.start(SimulatorConfig.decode());
        Simulator alive = started.start(SimulatorConfig.decode());
        overloaded.updateFaults(faults -> faults.withErrorStatus(503));
        MiniLb lb = startLb(List.of(prefill), List.of(overloaded.url(), alive.url()));

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = post(lb.url() + "/generate", generate("request " + i, 2));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        assertThat(overloaded.state().requestCount("/generate")).as("tried, then its circuit opened")
                .isBetween(1L, (long) THRESHOLD);
        assertThat(alive.state().requestCount("/generate")).isEqualTo(10);
    }

    private static List<Integer> sendConcurrently(MiniLb lb) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String text = "request " + i;
                statuses.add(clients.submit(() -> post(lb.url() + "/generate", generate(text, 2)).statusCode()));
            }
            List<Integer> result = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                result.add(status.get());
            }
            return result;
        } finally {
            clients.shutdownNow();
        }
    }

    private MiniLb startLb(List<Simulator> prefills, List<String> decodeUrls) {
        MiniLb lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                prefills.stream().map(p -> PrefillWorker.of(p.url(), p.bootstrapPort())).toList(),
                decodeUrls.stream().map(DecodeWorker::new).toList(),
                Duration.ofSeconds(60)).withPolicy("round_robin").withResilience(RESILIENCE));
        return started.keep(lb);
    }

    /** A decode whose process is gone but whose connections are accepted and reset at once: it counts them. */
    private static final class ResettingServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread acceptor;

        ResettingServer() throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptAll, "resetting-decode");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void acceptAll() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    accepted.incrementAndGet();
                    connection.setSoLinger(true, 0);
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
