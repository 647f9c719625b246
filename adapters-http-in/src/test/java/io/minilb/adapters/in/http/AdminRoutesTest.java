package io.minilb.adapters.in.http;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AdminRoutesTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String PREFILL = "http://p1:30000";
    private static final String DECODE_1 = "http://d1:30001";
    private static final String DECODE_2 = "http://d2:30001";

    /** Its default methods (a client request's calls, with its context) reach the stubbed ones. */
    private final ClusterAdminUseCase admin =
            mock(ClusterAdminUseCase.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private final RunningServer server = new RunningServer(new FakeGenerations(), admin);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthGenerateIsOkWhenEveryServerIs() throws Exception {
        answerAll(AdminRequest.HEALTH_GENERATE, List.of(ok(PREFILL, "")), List.of(ok(DECODE_1, ""), ok(DECODE_2, "")));

        HttpResponse<String> response = server.get("/health_generate");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void healthGenerateNamesEachFailedServer() throws Exception {
        answerAll(AdminRequest.HEALTH_GENERATE,
                List.of(WorkerReply.unreachable(PREFILL, "connection refused")),
                List.of(ok(DECODE_1, ""), WorkerReply.answered(DECODE_2, 503, "text/plain", new byte[0])));

        HttpResponse<String> response = server.get("/health_generate");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response)).isEqualTo(PLAIN.readTree("""
                {"error": {"message": "2 of 3 servers failed /health_generate", "type": "backend_unhealthy",
                  "failed": [{"role": "prefill", "url": "http://p1:30000", "problem": "connection refused"},
                             {"role": "decode", "url": "http://d2:30001", "problem": "HTTP 503"}]}}"""));
    }

    @Test
    void flushCacheIsOkWhenEveryServerFlushed() throws Exception {
        answerAll(AdminRequest.FLUSH_CACHE, List.of(ok(PREFILL, "flushed")), List.of(ok(DECODE_1, "flushed")));

        HttpResponse<String> response = server.post("/flush_cache", "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("Cache flushed on every server.\n");
    }

    @Test
    void flushCacheIsABadGatewayNamingTheServersThatFailed() throws Exception {
        answerAll(AdminRequest.FLUSH_CACHE,
                List.of(ok(PREFILL, "flushed")),
                List.of(WorkerReply.answered(DECODE_1, 500, "text/plain", new byte[0])));

        HttpResponse<String> response = server.post("/flush_cache", "");

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("backend_error");
        assertThat(error.get("failed")).isEqualTo(PLAIN.readTree(
                "[{\"role\": \"decode\", \"url\": \"http://d1:30001\", \"problem\": \"HTTP 500\"}]"));
    }

    @Test
    void serverInfoGathersTheDecodeInternalStatesAndReportsDeadServers() throws Exception {
        answerAll(AdminRequest.SERVER_INFO,
                List.of(ok(PREFILL, "{\"disaggregation_mode\": \"prefill\", \"internal_states\": [{\"p\": 1}]}")),
                List.of(ok(DECODE_1, "{\"disaggregation_mode\": \"decode\", \"internal_states\": [{\"d\": 1}, {\"d\": 2}]}"),
                        WorkerReply.unreachable(DECODE_2, "connection refused")));

        HttpResponse<String> response = server.get("/get_server_info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(PLAIN.readTree("""
                {"internal_states": [{"d": 1}, {"d": 2}],
                 "prefill": [{"disaggregation_mode": "prefill", "internal_states": [{"p": 1}]}],
                 "decode": [{"disaggregation_mode": "decode", "internal_states": [{"d": 1}, {"d": 2}]},
                            {"url": "http://d2:30001", "error": "connection refused"}]}"""));
    }

    @Test
    void serverInfoWithoutInternalStatesGetsTheDummyBenchmarksRead() throws Exception {
        answerAll(AdminRequest.SERVER_INFO,
                List.of(ok(PREFILL, "not json")),
                List.of(WorkerReply.answered(DECODE_1, 500, "application/json", "{}".getBytes(StandardCharsets.UTF_8))));

        JsonNode info = json(server.get("/get_server_info"));

        assertThat(info.get("internal_states")).isEqualTo(PLAIN.readTree(
                "[{\"last_gen_throughput\": 0.0, \"avg_spec_accept_length\": null}]"));
        assertThat(info.get("prefill")).isEqualTo(PLAIN.readTree(
                "[{\"url\": \"http://p1:30000\", \"error\": \"answered with something other than a JSON object\"}]"));
        assertThat(info.get("decode")).isEqualTo(PLAIN.readTree(
                "[{\"url\": \"http://d1:30001\", \"error\": \"HTTP 500\"}]"));
    }

    @Test
    void modelInfoIsPassedThroughFromAPrefill() throws Exception {
        when(admin.askAnyPrefill(AdminRequest.MODEL_INFO)).thenReturn(completedFuture(WorkerReply.answered(
                PREFILL, 200, "application/json", "{\"model_path\": \"m\"}".getBytes(StandardCharsets.UTF_8))));

        HttpResponse<String> response = server.get("/get_model_info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"model_path\": \"m\"}");
    }

    @Test
    void modelsPassAnErrorStatusThroughToo() throws Exception {
        when(admin.askAnyPrefill(AdminRequest.MODELS)).thenReturn(completedFuture(WorkerReply.answered(
                PREFILL, 503, "text/plain", "starting".getBytes(StandardCharsets.UTF_8))));

        HttpResponse<String> response = server.get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo("starting");
    }

    @Test
    void anUnreachablePrefillIsABadGateway() throws Exception {
        when(admin.askAnyPrefill(AdminRequest.MODELS)).thenReturn(
                completedFuture(WorkerReply.unreachable(PREFILL, "connection refused")));

        HttpResponse<String> response = server.get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response)).isEqualTo(PLAIN.readTree("""
                {"error": {"message": "no prefill server answered /v1/models; the last one tried, http://p1:30000: connection refused",
                           "type": "backend_unreachable"}}"""));
    }

    @Test
    void anAnswerCompletedLaterOnAnotherThreadIsWritten() throws Exception {
        CompletableFuture<WorkerReply> reply = new CompletableFuture<>();
        when(admin.askAnyPrefill(AdminRequest.MODELS)).thenReturn(reply);

        CompletableFuture<HttpResponse<String>> response = server.client().sendAsync(
                server.request("/v1/models").GET().build(), HttpResponse.BodyHandlers.ofString());
        await().untilAsserted(() -> verify(admin).askAnyPrefill(AdminRequest.MODELS));
        assertThat(response).isNotDone();
        reply.complete(ok(PREFILL, "{\"data\": []}"));

        assertThat(response.get().body()).isEqualTo("{\"data\": []}");
    }

    @Test
    void aFailedUseCaseIsAnInternalError() throws Exception {
        when(admin.askAll(AdminRequest.SERVER_INFO)).thenReturn(
                CompletableFuture.failedFuture(new IllegalStateException("boom")));

        HttpResponse<String> response = server.get("/get_server_info");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).at("/error/type").asText()).isEqualTo("internal_error");
    }

    private void answerAll(AdminRequest request, List<WorkerReply> prefills, List<WorkerReply> decodes) {
        when(admin.askAll(request)).thenReturn(completedFuture(new ClusterReplies(prefills, decodes)));
    }

    private static WorkerReply ok(String url, String body) {
        return WorkerReply.answered(url, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return PLAIN.readTree(response.body());
    }
}
