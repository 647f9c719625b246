package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.workers.ManageWorkers;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker API over a real registry, through HTTP. */
@Timeout(30)
class WorkerRoutesTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final int MAX_WORKERS = 4;

    private final WorkerRegistry registry = new WorkerRegistry(
            new CircuitBreakerSettings(true, 3, 2, Duration.ofSeconds(10), Duration.ofSeconds(60)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM);
    private final LiveWorker<PrefillWorker> prefill = registry.addPrefill(
            PrefillWorker.of("http://p1:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> decode =
            registry.addDecode(new DecodeWorker("http://d1:30001"), WorkerOrigin.CONFIGURATION, true);
    private final ServingState lifecycle = new ServingState();
    private final RunningServer server = new RunningServer(new FakeGenerations(), mock(ClusterAdminUseCase.class),
            new ManageWorkers(registry, lifecycle, MAX_WORKERS, true));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsTheConfiguredWorkersAsSglangsRouterDoes() throws Exception {
        HttpResponse<String> response = server.get("/workers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(PLAIN.readTree("""
                {"workers": [
                  {"id": "%s", "url": "http://p1:30000", "worker_type": "prefill", "connection_mode": "http",
                   "bootstrap_port": 8998, "is_healthy": true, "status": "ready", "circuit_state": "closed",
                   "load": 0, "origin": "configuration"},
                  {"id": "%s", "url": "http://d1:30001", "worker_type": "decode", "connection_mode": "http",
                   "is_healthy": true, "status": "ready", "circuit_state": "closed", "load": 0,
                   "origin": "configuration"}],
                 "total": 2,
                 "stats": {"prefill_count": 1, "decode_count": 1, "regular_count": 0}}"""
                .formatted(prefill.id(), decode.id())));
    }

    @Test
    void postingAWorkerRegistersItAndPointsToIt() throws Exception {
        HttpResponse<String> response = server.post("/workers",
                "{\"url\": \"http://p2:30000\", \"worker_type\": \"prefill\", \"bootstrap_port\": 9000, \"priority\": 1}");

        assertThat(response.statusCode()).isEqualTo(202);
        String id = LiveWorker.idOf(PrefillWorker.of("http://p2:30000", 9000));
        assertThat(response.headers().firstValue("Location")).hasValue("/workers/" + id);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("worker_id").asText()).isEqualTo(id);
        JsonNode added = json(server.get("/workers/" + id));
        assertThat(added.get("bootstrap_port").asInt()).isEqualTo(9000);
        assertThat(added.get("origin").asText()).isEqualTo("api");
        assertThat(registry.availablePrefills()).hasSize(2);
    }

    @Test
    void badWorkerSpecsAreRefusedWithTheReason() throws Exception {
        assertInvalid(server.post("/workers", "{\"worker_type\": \"decode\"}"), "'url' is required");
        assertInvalid(server.post("/workers", "{\"url\": \"http://d2:1\"}"), "'worker_type' is required");
        assertInvalid(server.post("/workers", "{\"url\": \"http://d2:1\", \"worker_type\": \"regular\"}"),
                "must be prefill or decode");
        assertInvalid(server.post("/workers", "{\"url\": \"ftp://d2:1\", \"worker_type\": \"decode\"}"),
                "must start with http:// or https://");
        assertInvalid(server.post("/workers", "{\"url\": \"http://p2:1\", \"worker_type\": \"prefill\", "
                + "\"bootstrap_port\": 70000}"), "outside 1-65535");
        assertInvalid(server.post("/workers", "{\"url\": \"http://d2:1\", \"worker_type\": \"decode\", "
                + "\"bootstrap_port\": 8998}"), "for a prefill");
        assertInvalid(server.post("/workers", "{\"url\": 5, \"worker_type\": \"decode\"}"), "must be a string");
        assertInvalid(server.post("/workers", "[1]"), "must be a JSON object");
        assertInvalid(server.post("/workers", "{"), "not valid JSON");
        assertThat(registry.snapshot()).hasSize(2);
    }

    @Test
    void aWorkerBodyBeyondItsSmallLimitIsRefusedUnread() throws Exception {
        String padding = "x".repeat(WorkerRoutes.MAX_WORKER_BODY_BYTES);
        HttpResponse<String> response = server.post("/workers",
                "{\"url\": \"http://d2:1\", \"worker_type\": \"decode\", \"labels\": {\"a\": \"" + padding + "\"}}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(registry.snapshot()).hasSize(2);
    }

    @Test
    void aDuplicateUrlIsAConflictNamingTheWorkerThatHasIt() throws Exception {
        HttpResponse<String> response = server.post("/workers",
                "{\"url\": \"http://d1:30001/\", \"worker_type\": \"prefill\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode error = json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("worker_already_exists");
        assertThat(error.get("message").asText()).contains(decode.id(), "as decode");
    }

    @Test
    void theRegistryStopsGrowingAtItsLimit() throws Exception {
        for (int i = 0; i < 10; i++) {
            server.post("/workers", "{\"url\": \"http://d" + (i + 10) + ":1\", \"worker_type\": \"decode\"}");
        }

        HttpResponse<String> refused = server.post("/add_worker?url=http://d99:1&worker_type=decode", "");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("error").get("type").asText()).isEqualTo("worker_limit_reached");
        assertThat(registry.snapshot()).hasSize(MAX_WORKERS);
        assertThat(json(server.get("/workers")).get("total").asInt()).isEqualTo(MAX_WORKERS);
    }

    @Test
    void deletingDrainsTheWorkerUntilItsRequestsEnd() throws Exception {
        assertThat(decode.tryStart()).isTrue();

        HttpResponse<String> response = server.send(server.request("/workers/" + decode.id()).DELETE().build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("message").asText()).contains("1 in flight");
        JsonNode draining = json(server.get("/workers/" + decode.id()));
        assertThat(draining.get("status").asText()).isEqualTo("draining");
        assertThat(draining.get("is_healthy").asBoolean()).isFalse();
        assertThat(registry.availableDecodes()).isEmpty();
        decode.finish();
        assertThat(server.get("/workers/" + decode.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownIdIsNotFoundAndOneThatIsNoUuidIsABadRequest() throws Exception {
        String unknown = "00000000-0000-0000-0000-000000000000";
        assertThat(server.get("/workers/" + unknown).statusCode()).isEqualTo(404);
        HttpResponse<String> deleted = server.send(server.request("/workers/" + unknown).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(json(deleted).get("error").get("type").asText()).isEqualTo("not_found");
        assertInvalid(server.get("/workers/not-a-uuid"), "expected UUID");
        assertThat(server.get("/workers/" + decode.id() + "/extra").statusCode()).isEqualTo(404);
        assertThat(server.get("/workers/").statusCode()).isEqualTo(404);
        HttpResponse<String> put = server.send(server.request("/workers/" + decode.id())
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, DELETE");
        assertThat(registry.snapshot()).hasSize(2);
    }

    @Test
    void theOlderQueryFormsAddListAndRemove() throws Exception {
        HttpResponse<String> added = server.post("/add_worker?url=http://p2:30000&worker_type=prefill&bootstrap_port=9001", "");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).isEqualTo("Successfully added worker: http://p2:30000\n");
        assertThat(json(server.get("/list_workers"))).isEqualTo(PLAIN.readTree(
                "{\"urls\": [\"http://p1:30000\", \"http://p2:30000\", \"http://d1:30001\"]}"));

        HttpResponse<String> removed = server.post("/remove_worker?url=http://p2:30000", "");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removed.body()).isEqualTo("Successfully removed worker: http://p2:30000\n");
        assertThat(json(server.get("/list_workers")).get("urls")).hasSize(2);

        assertThat(server.post("/remove_worker?url=http://p2:30000", "").statusCode()).isEqualTo(404);
        assertInvalid(server.post("/remove_worker", ""), "'url' is required");
        assertInvalid(server.post("/add_worker?url=http://p3:1&worker_type=prefill&bootstrap_port=x", ""),
                "'bootstrap_port' must be a port number");
        assertInvalid(server.post("/add_worker?url=http://p3:1", ""), "'worker_type' is required");
    }

    @Test
    void readinessNeedsAnAvailablePrefillAndDecode() throws Exception {
        HttpResponse<String> ready = server.get("/readiness");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready)).isEqualTo(PLAIN.readTree(
                "{\"status\": \"ready\", \"available_prefills\": 1, \"available_decodes\": 1}"));

        registry.remove(decode.id());
        HttpResponse<String> noDecode = server.get("/readiness");
        assertThat(noDecode.statusCode()).isEqualTo(503);
        assertThat(json(noDecode)).isEqualTo(PLAIN.readTree("""
                {"error": {"message": "no decode server is available", "type": "not_ready",
                           "available_prefills": 1, "available_decodes": 0, "side": "decode"}}"""));
        assertThat(server.send(server.request("/readiness").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).isEqualTo(503);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);

        server.post("/workers", "{\"url\": \"http://d2:1\", \"worker_type\": \"decode\"}");
        assertThat(server.get("/readiness").statusCode()).isEqualTo(200);

        lifecycle.startDraining();
        HttpResponse<String> stopping = server.get("/readiness");
        assertThat(stopping.statusCode()).isEqualTo(503);
        assertThat(json(stopping).get("error").get("message").asText()).isEqualTo("mini-lb is stopping");
    }

    private static void assertInvalid(HttpResponse<String> response, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).contains(reason);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return PLAIN.readTree(response.body());
    }
}
