package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.get;
import static io.minilb.e2e.E2e.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.PrometheusSettings;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics through real traffic: counters and histograms move with generations on {@code /metrics}, a decode that
 * dies shows as unhealthy with its circuit open, its failures and the retries they caused are counted, and the
 * listener of its own serves the same.
 */
class MetricsE2eTest {

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @Test
    void trafficAndAKilledDecodeShowOnBothMetricsListeners() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator steady = started.start(SimulatorConfig.decode());
        Simulator victim = SimulatorConfig.decode().start();
        MiniLb lb = started.keep(MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                List.of(new DecodeWorker(steady.url()), new DecodeWorker(victim.url())), Duration.ofSeconds(30))
                .withPolicy("round_robin")
                .withResilience(WorkerResilience.defaults()
                        // One failure opens the circuit, for long enough to be seen open.
                        .withCircuitBreaker(new CircuitBreakerSettings(true, 1, 1, Duration.ofMinutes(5),
                                Duration.ofMinutes(5)))
                        .withHealth(new HealthThresholds(1, 1),
                                HealthCheckSettings.defaults().withInterval(Duration.ofSeconds(1))))
                .withPrometheus(new PrometheusSettings(Optional.of("127.0.0.1"), OptionalInt.of(0)))));
        String prefillLabels = labels(prefill, "prefill");
        String victimLabels = labels(victim, "decode");

        for (int i = 0; i < 4; i++) {
            assertThat(post(lb.url() + "/generate", generate("whole " + i, 4)).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> stream = post(lb.url() + "/generate", generate("stream " + i, 4).put("stream", true));
            assertThat(stream.statusCode()).isEqualTo(200);
        }
        // A request is counted when its exchange completes, which may be just after the client has the answer.
        awaitSample(lb.url(), "mini_lb_http_requests_total{route=\"/generate\",status=\"200\"}", 6);
        String afterTraffic = scrape(lb.url());
        assertThat(sample(afterTraffic, "mini_lb_http_request_duration_seconds_count{route=\"/generate\"}"))
                .isEqualTo(6);
        assertThat(sample(afterTraffic, "mini_lb_time_to_first_byte_seconds_count{route=\"/generate\"}"))
                .isEqualTo(6);
        assertThat(sample(afterTraffic, "mini_lb_overhead_seconds_count{route=\"/generate\"}")).isEqualTo(6);
        assertThat(sample(afterTraffic, "mini_lb_overhead_seconds_sum{route=\"/generate\"}"))
                .as("mini-lb's own time is a part of the total")
                .isLessThan(sample(afterTraffic, "mini_lb_http_request_duration_seconds_sum{route=\"/generate\"}"));
        assertThat(sample(afterTraffic, "mini_lb_http_response_bytes_total{route=\"/generate\"}")).isPositive();
        assertThat(sample(afterTraffic, "mini_lb_worker_requests_total" + prefillLabels)).isEqualTo(6);
        assertThat(sample(afterTraffic, "mini_lb_worker_requests_total" + victimLabels)).isEqualTo(3);
        assertThat(sample(afterTraffic, "mini_lb_worker_health" + victimLabels)).isEqualTo(1);
        assertThat(sample(afterTraffic, "mini_lb_worker_cb_state" + victimLabels)).isEqualTo(0);
        assertThat(sample(afterTraffic, "mini_lb_client_connections")).isGreaterThanOrEqualTo(1);
        assertThat(afterTraffic).contains("mini_lb_backend_connections{state=\"idle\"}",
                "jvm_memory_used_bytes{area=\"heap\"}");

        victim.close();
        // Round robin sends every other attempt to the dead decode; each is retried on the steady one.
        for (int i = 0; i < 4; i++) {
            assertThat(post(lb.url() + "/generate", generate("after the kill " + i, 4)).statusCode()).isEqualTo(200);
        }
        await("the dead decode's health and circuit on /metrics").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    String text = scrape(lb.url());
                    assertThat(sample(text, "mini_lb_worker_health" + victimLabels)).isEqualTo(0);
                    assertThat(sample(text, "mini_lb_worker_cb_state" + victimLabels)).isEqualTo(1);
                });
        awaitSample(lb.url(), "mini_lb_http_requests_total{route=\"/generate\",status=\"200\"}", 10);
        String afterKill = scrape(lb.url());
        assertThat(sample(afterKill, "mini_lb_worker_failures_total{kind=\"backend_unreachable\",role=\"decode\","
                + "worker=\"" + victim.url() + "\"}")).isGreaterThanOrEqualTo(1);
        assertThat(sample(afterKill, "mini_lb_retries_total{cause=\"backend_unreachable\"}"))
                .isGreaterThanOrEqualTo(1);

        String separate = scrape("http://127.0.0.1:" + lb.metricsPort().orElseThrow());
        assertThat(sample(separate, "mini_lb_worker_cb_state" + victimLabels)).isEqualTo(1);
        assertThat(sample(separate, "mini_lb_http_requests_total{route=\"/generate\",status=\"200\"}"))
                .isEqualTo(10);
        assertThat(get("http://127.0.0.1:" + lb.metricsPort().orElseThrow() + "/generate").statusCode())
                .as("only /metrics there").isEqualTo(404);
    }

    private static void awaitSample(String base, String series, double expected) {
        await(series).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(sample(scrape(base), series)).isEqualTo(expected));
    }

    private static String labels(Simulator simulator, String role) {
        return "{role=\"" + role + "\",worker=\"" + simulator.url() + "\"}";
    }

    private static String scrape(String base) {
        HttpResponse<String> response = get(base + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double sample(String text, String series) {
        Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(matcher.find()).as(series + " on /metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
