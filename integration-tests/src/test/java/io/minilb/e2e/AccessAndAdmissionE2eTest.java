package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.get;
import static io.minilb.e2e.E2e.postAsync;
import static io.minilb.e2e.E2e.postRequest;
import static io.minilb.simulator.TestHttp.CLIENT;
import static io.minilb.simulator.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.adapters.in.http.AccessKeys;
import io.minilb.application.admission.AdmissionSettings;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.simulator.Simulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** API keys, admission limits under a burst, and the shared /health_generate fan-out, against simulators. */
class AccessAndAdmissionE2eTest extends SharedTopologyTest {

    private static final String CLIENT_KEY = "e2e-client-key";
    private static final String ADMIN_KEY = "e2e-admin-key";

    @Test
    void aBurstPastTheLimitsGets429AtOnceAnd408AfterTheQueueTimeoutAndOnlyAdmittedRequestsReachTheServers()
            throws Exception {
        // Each admitted generation takes 20 tokens x 400 ms: far longer than the queue timeout.
        topology.decodes.forEach(decode -> decode.updateFaults(faults -> faults.withSlowMsPerToken(400)));
        MiniLb lb = topology.startLb(config -> config.withAdmission(
                new AdmissionSettings(2, 3, Duration.ofSeconds(2), 0)));

        List<CompletableFuture<HttpResponse<String>>> burst = IntStream.range(0, 10)
                .mapToObj(i -> postAsync(lb.url() + "/generate", generate("burst " + i, 20))).toList();
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Map<Integer, List<HttpResponse<String>>> byStatus = burst.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode));
        assertThat(byStatus.keySet()).containsExactlyInAnyOrder(200, 408, 429);
        assertThat(byStatus.get(200)).hasSize(2);
        assertThat(byStatus.get(408)).hasSize(3).allSatisfy(response -> {
            assertThat(error(response).path("type").asText()).isEqualTo("queue_timeout");
            assertThat(error(response).has("side")).isFalse();
        });
        assertThat(byStatus.get(429)).hasSize(5).allSatisfy(response -> {
            assertThat(error(response).path("type").asText()).isEqualTo("rate_limited");
            assertThat(error(response).path("message").asText()).contains("--queue-size");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        });
        assertThat(topology.count(topology.decodes, "/generate")).as("refused requests reach no server").isEqualTo(2);
        assertThat(topology.count(topology.prefills, "/generate")).isEqualTo(2);
    }

    @Test
    void queuedRequestsAreServedInTurnWhenSlotsFree() throws Exception {
        MiniLb lb = topology.startLb(config -> config.withAdmission(
                new AdmissionSettings(1, 20, Duration.ofSeconds(30), 0)));

        List<CompletableFuture<HttpResponse<String>>> requests = IntStream.range(0, 8)
                .mapToObj(i -> postAsync(lb.url() + "/generate", generate("queued " + i, 4))).toList();
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(requests).allSatisfy(request -> assertThat(request.join().statusCode())
                .as(request.join().body()).isEqualTo(200));
    }

    @Test
    void keysAreEnforcedOnServingAndAdminRoutesAndOpenRoutesStayOpen() {
        MiniLb lb = topology.startLb(config -> config.withAccessKeys(
                new AccessKeys(Optional.of(CLIENT_KEY), Optional.of(ADMIN_KEY))));
        Function<String, String> url = path -> lb.url() + path;

        HttpResponse<String> anonymous = send(postRequest(url.apply("/generate"), generate("key", 2).toString()), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(error(anonymous).path("type").asText()).isEqualTo("authentication_error");
        assertThat(topology.count(topology.all(), "/generate")).as("not routed").isZero();
        assertThat(send(postRequest(url.apply("/generate"), generate("key", 2).toString()), CLIENT_KEY).statusCode())
                .isEqualTo(200);

        for (HttpRequest.Builder admin : List.of(
                HttpRequest.newBuilder(URI.create(url.apply("/flush_cache"))).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(URI.create(url.apply("/workers"))).GET())) {
            assertThat(send(admin.build(), null).statusCode()).isEqualTo(401);
            assertThat(send(admin.build(), CLIENT_KEY).statusCode()).isEqualTo(403);
            assertThat(send(admin.build(), ADMIN_KEY).statusCode()).isEqualTo(200);
        }
        assertThat(topology.count(topology.all(), "/flush_cache")).as("only the admin's flush reached the servers")
                .isEqualTo(topology.all().size());

        for (String open : List.of("/health", "/readiness", "/v1/models", "/get_model_info")) {
            assertThat(get(url.apply(open)).statusCode()).as(open).isEqualTo(200);
        }
    }

    @Test
    void concurrentHealthGenerateCallsShareOneFanOut() throws Exception {
        // Each server takes 300 ms to answer, so the calls overlap whatever the machine's load.
        topology.all().forEach(sim -> sim.updateFaults(faults -> faults.withSlowMsPerToken(300)));

        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 100)
                .mapToObj(i -> CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(topology.url("/health_generate")))
                        .timeout(E2e.TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString())).toList();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(calls).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        for (Simulator sim : topology.all()) {
            // Unshared, each server would see 100; shared, one per 300 ms window the calls arrive over.
            assertThat(sim.state().requestCount("/health_generate")).as(sim.url()).isBetween(1L, 20L);
        }
    }

    @Test
    void listeningBeyondLoopbackWithoutAnAdminKeyWarnsOnceAndNeverLogsAKey() {
        Logger log = (Logger) LoggerFactory.getLogger(MiniLb.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            startAndStop(baseConfig());
            startAndStop(wildcard(baseConfig()).withAccessKeys(new AccessKeys(Optional.empty(), Optional.of(ADMIN_KEY))));
            assertThat(warnings(captured)).as("loopback, or an admin key").isEmpty();

            startAndStop(wildcard(baseConfig()).withAccessKeys(new AccessKeys(Optional.of(CLIENT_KEY), Optional.empty())));

            assertThat(warnings(captured)).singleElement().satisfies(warning -> assertThat(warning)
                    .contains("0.0.0.0", "without --admin-api-key").doesNotContain(CLIENT_KEY));
            assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(line -> line.contains(CLIENT_KEY) || line.contains(ADMIN_KEY));
        } finally {
            log.detachAppender(captured);
        }
    }

    private static MiniLbConfig baseConfig() {
        return topology.config(PdTopology.DEFAULT_TIMEOUT);
    }

    private static void startAndStop(MiniLbConfig config) {
        MiniLb.start(config).close();
    }

    private static MiniLbConfig wildcard(MiniLbConfig config) {
        return config.withHost("0.0.0.0");
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> captured) {
        return captured.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static HttpResponse<String> send(HttpRequest request, String key) {
        HttpRequest.Builder withKey = HttpRequest.newBuilder(request, (name, value) -> true).timeout(E2e.TIMEOUT);
        if (key != null) {
            withKey.header("Authorization", "Bearer " + key);
        }
        try {
            return CLIENT.send(withKey.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode error(HttpResponse<String> response) {
        return json(response).path("error");
    }
}
