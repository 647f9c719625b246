package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.minilb.application.health.HealthCheckRounds;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Active health checks on the simulators: a prefill whose bootstrap server does not answer is out from the first
 * round (reported in one line) and gets no request; a decode stopped and restarted on its port is taken out, then
 * gets traffic again within two intervals.
 */
class HealthChecksE2eTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Beyond the two intervals a recovery takes, for a loaded machine: callbacks, GC, scheduling. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private final Logger healthLog = (Logger) LoggerFactory.getLogger(HealthCheckRounds.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @BeforeEach
    void captureHealthLog() {
        captured.start();
        healthLog.addAppender(captured);
    }

    @AfterEach
    void stopCapturing() {
        healthLog.detachAppender(captured);
    }

    @Test
    void aPrefillWithAWrongBootstrapPortIsReportedOnceAtStartupAndGetsNoRequest() {
        Simulator good = started.start(SimulatorConfig.prefill());
        Simulator wrong = started.start(SimulatorConfig.prefill());
        Simulator decode = started.start(SimulatorConfig.decode());
        int wrongPort = E2e.unusedPort();
        MiniLb lb = started.keep(MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(good.url(), good.bootstrapPort()), PrefillWorker.of(wrong.url(), wrongPort)),
                List.of(new DecodeWorker(decode.url())), Duration.ofSeconds(30)).withPolicy("round_robin")));

        // start() returns once the first round has ended: the wrong prefill is out before the first request
        List<ILoggingEvent> warnings = events(Level.WARN);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage()).contains("prefill " + wrong.url())
                .contains("bootstrap server 127.0.0.1:" + wrongPort).contains("connection refused");

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = post(lb.url() + "/generate", generate("request " + i, 2));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        assertThat(wrong.state().requestCount("/generate")).isZero();
        assertThat(good.state().requestCount("/generate")).isEqualTo(20);
        assertThat(events(Level.WARN)).hasSize(1);
    }

    @Test
    void aDecodeRestartedOnItsPortGetsTrafficAgainWithinTwoIntervals() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator steady = started.start(SimulatorConfig.decode());
        Simulator restarting = SimulatorConfig.decode().start();
        int port = restarting.port();
        String url = restarting.url();
        // No circuit breaker and no retries: only the health checks take the decode out and bring it back, and each
        // request sent to it while it is in rotation fails for all to see.
        MiniLb lb = started.keep(MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                List.of(new DecodeWorker(steady.url()), new DecodeWorker(url)), Duration.ofSeconds(30))
                .withPolicy("round_robin")
                .withResilience(WorkerResilience.defaults().withCircuitBreakerDisabled().withHealth(
                        WorkerResilience.DEFAULT_HEALTH,
                        HealthCheckSettings.defaults().withInterval(INTERVAL)).withRetriesDisabled())));
        restarting.close();

        var requests = new AtomicInteger();
        await("the stopped decode taken out").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> fourInARowSucceed(lb, requests));
        assertThat(events(Level.WARN)).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("decode " + url + " is unhealthy").contains("connection refused"));

        Simulator restarted = started.start(SimulatorConfig.decode().port(port));
        long restartedAt = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        await("the restarted decode gets traffic").atMost(INTERVAL.multipliedBy(2).plus(SLACK))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    statuses.add(post(lb.url() + "/generate", generate("after restart", 2)).statusCode());
                    return restarted.state().requestCount("/generate") > 0;
                });
        Duration recovery = Duration.ofNanos(System.nanoTime() - restartedAt);

        assertThat(statuses).containsOnly(200);
        assertThat(events(Level.INFO)).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("decode " + url + " is healthy again"));
        LoggerFactory.getLogger(HealthChecksE2eTest.class).info(
                "restarted decode got traffic {} ms after its restart ({} s interval, success threshold {})",
                recovery.toMillis(), INTERVAL.toSeconds(), WorkerResilience.DEFAULT_HEALTH.successThreshold());
    }

    private static boolean fourInARowSucceed(MiniLb lb, AtomicInteger requests) {
        for (int i = 0; i < 4; i++) {
            int status = post(lb.url() + "/generate", generate("request " + requests.incrementAndGet(), 2)).statusCode();
            if (status != 200) {
                return false;
            }
        }
        return true;
    }

    private List<ILoggingEvent> events(Level level) {
        synchronized (captured) { // the lock AppenderBase.doAppend holds while adding
            return captured.list.stream().filter(event -> event.getLevel() == level).toList();
        }
    }
}
