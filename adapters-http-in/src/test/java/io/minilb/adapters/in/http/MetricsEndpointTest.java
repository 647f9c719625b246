package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.minilb.adapters.in.http.metrics.PrometheusMetrics;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.Side;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.WorkerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} served by the HTTP front, and what the front records of the requests it serves. */
class MetricsEndpointTest {

    private final FakeGenerations generations = new FakeGenerations();
    private final PrometheusMetrics metrics = new PrometheusMetrics(new WorkerRegistry(
            new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(5)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM));
    private final MiniLbHttpServer server = new MiniLbHttpServer(generations, mock(ClusterAdminUseCase.class),
            mock(ManageWorkersUseCase.class), new ServingState(),
            RunningServer.settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                    HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
            new MemoryBudget(Long.MAX_VALUE), ServerFeatures.defaults().withMetrics(metrics.http(), metrics.endpoint()));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MetricsListener separate;

    MetricsEndpointTest() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        if (separate != null) {
            separate.stop();
        }
    }

    @Test
    void servesTheTextFormatOrWhatTheScraperAccepts() throws Exception {
        HttpResponse<String> text = get(server.port(), "/metrics", "*/*");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body()).contains("# TYPE mini_lb_rejected_requests_total counter", "jvm_memory_used_bytes");

        HttpResponse<String> openMetrics = get(server.port(), "/metrics",
                "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).endsWith("# EOF\n");
    }

    @Test
    void aGenerationIsCountedOnItsRouteWithItsTimings() throws Exception {
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request(server.port(), "/generate")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        FakeGenerations.Generation generation = generations.next();
        generation.observer.onDispatched();
        byte[] answer = "{\"text\": \"hello\"}".getBytes(StandardCharsets.UTF_8);
        generation.observer.onResponse(200, "application/json", answer);
        assertThat(response.get().statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("mini_lb_http_requests_total{route=\"/generate\",status=\"200\"} 1.0")
                .contains("mini_lb_time_to_first_byte_seconds_count{route=\"/generate\"} 1")
                .contains("mini_lb_overhead_seconds_count{route=\"/generate\"} 1")
                .contains("mini_lb_http_response_bytes_total{route=\"/generate\"} 17.0"));
        double total = sample(scrape(), "mini_lb_http_request_duration_seconds_sum{route=\"/generate\"}");
        double overhead = sample(scrape(), "mini_lb_overhead_seconds_sum{route=\"/generate\"}");
        assertThat(overhead).as("the wait on the (fake) servers is not overhead").isLessThan(total);
    }

    @Test
    void aRefusalForWantOfAWorkerIsARejection() throws Exception {
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request(server.port(), "/generate")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        generations.next().observer.onFailure(
                new GenerationFailure(Side.DECODE, GenerationFailure.Kind.NO_AVAILABLE_WORKER, "no decode"));
        assertThat(response.get().statusCode()).isEqualTo(503);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("mini_lb_rejected_requests_total{reason=\"no_available_worker\"} 1.0")
                .contains("mini_lb_http_requests_total{route=\"/generate\",status=\"503\"} 1.0"));
    }

    @Test
    void clientPathsNeverBecomeLabelsAndRefusedBodiesAreRejections() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(get(server.port(), "/no-such-route-" + i, "*/*").statusCode()).isEqualTo(404);
        }
        assertThat(get(server.port(), "/workers/some-client-id", "*/*").statusCode()).isNotZero();
        HttpResponse<String> tooLarge = client.send(request(server.port(), "/generate").POST(
                HttpRequest.BodyPublishers.ofString("x".repeat(RunningServer.MAX_PAYLOAD_BYTES + 1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("mini_lb_http_requests_total{route=\"unmatched\",status=\"404\"} 20.0")
                .contains("mini_lb_http_requests_total{route=\"/generate\",status=\"413\"} 1.0")
                .contains("mini_lb_rejected_requests_total{reason=\"payload_too_large\"} 1.0")
                .contains("route=\"/workers/{id}\"")
                .doesNotContain("no-such-route", "some-client-id"));
    }

    @Test
    void openClientConnectionsAreShown() throws Exception {
        assertThat(sample(scrape(), "mini_lb_client_connections")).as("the scrape's own connection")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aListenerOfItsOwnServesOnlyMetrics() throws Exception {
        separate = new MetricsListener("127.0.0.1", 0, metrics.endpoint());
        separate.start();

        HttpResponse<String> scrape = get(separate.port(), "/metrics", "*/*");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("mini_lb_rejected_requests_total", "mini_lb_client_connections");
        assertThat(get(separate.port(), "/health", "*/*").statusCode()).isEqualTo(404);
        assertThat(client.send(request(separate.port(), "/generate")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void theListenerOfItsOwnClosesConnectionsBeyondItsCap() throws Exception {
        separate = new MetricsListener("127.0.0.1", 0, metrics.endpoint());
        separate.start();
        List<RawHttpConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < MetricsListener.MAX_CONNECTIONS; i++) {
                var connection = new RawHttpConnection(separate.port());
                held.add(connection);
                connection.send("HEAD /metrics HTTP/1.1\r\nHost: test\r\n\r\n");
                assertThat(connection.readHead().status()).isEqualTo(200); // served, then kept open
            }
            try (var refused = new RawHttpConnection(separate.port())) {
                // Without the cap it would be served, or left waiting until the read times out and fail.
                assertThat(refused.closedOrResetByServer()).isTrue();
            }
        } finally {
            for (RawHttpConnection connection : held) {
                connection.close();
            }
        }
    }

    private String scrape() throws Exception {
        return get(server.port(), "/metrics", "*/*").body();
    }

    private HttpResponse<String> get(int port, String path, String accept) throws Exception {
        return client.send(request(port, path).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private static double sample(String text, String series) {
        Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(matcher.find()).as(series + " in the scrape").isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
