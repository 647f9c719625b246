package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.WorkerReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpClientWorkerAdminClientTest extends PooledClientTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration PROMPTLY = Duration.ofSeconds(1);



    @Test
    void returnsTheServersAnswer() throws Exception {
        var server = stub(exchange -> exchange.respond(200, "application/json", "{\"model_path\": \"m\"}"));

        WorkerReply reply = send(server.url(), AdminRequest.MODEL_INFO);

        assertThat(reply.succeeded()).isTrue();
        assertThat(reply.workerUrl()).isEqualTo(server.url());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/json");
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"model_path\": \"m\"}");
        StubServer.Received received = server.nextRequest();
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.path()).isEqualTo("/get_model_info");
    }

    @Test
    void sendsTheRequestsMethodAndKeepsAnErrorStatus() throws Exception {
        var server = stub(exchange -> exchange.respond(503, "text/plain", "busy"));

        WorkerReply reply = send(server.url(), AdminRequest.FLUSH_CACHE);

        assertThat(reply.succeeded()).isFalse();
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.problem()).isEqualTo("HTTP 503");
        StubServer.Received received = server.nextRequest();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/flush_cache");
    }

    @Test
    void reportsARefusedConnection() throws Exception {
        String url = StubServer.unusedUrl();

        WorkerReply reply = send(url, AdminRequest.HEALTH_GENERATE);

        assertThat(reply.status()).isZero();
        assertThat(reply.error()).isEqualTo("connection refused");
    }

    @Test
    void givesUpOnASilentServerAfterTheTimeoutAndClosesTheConnection() throws Exception {
        var server = stub(StubServer.Exchange::hangUntilClosed);

        long started = System.nanoTime();
        WorkerReply reply = send(server.url(), AdminRequest.SERVER_INFO);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMEOUT);
        assertThat(reply.error()).isEqualTo("timed out after 300 ms");
        assertThat(server.nextRequest().connectionClosed()).succeedsWithin(Duration.ofSeconds(5));
    }

    private static WorkerReply send(String url, AdminRequest request) {
        CompletableFuture<WorkerReply> reply = new HttpClientWorkerAdminClient(client, TIMEOUT).send(url, request);
        assertThat(reply).succeedsWithin(TIMEOUT.plus(PROMPTLY));
        return reply.join();
    }
}
