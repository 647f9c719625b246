package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundHeadersTest extends PooledClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final RequestContext CONTEXT = new RequestContext("req-1", List.of(
            new RequestContext.Header("x-request-id", "req-1"),
            new RequestContext.Header("authorization", "Bearer client-key"),
            new RequestContext.Header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));

    private final RecordingObserver observer = new RecordingObserver();

    @Test
    void bothLegsCarryTheForwardedHeadersAsTheClientSentThem() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "application/json", "{}"));
        var decode = stub(exchange -> exchange.respond(200, "application/json", "{}"));

        generate(OutboundHeaders.none(), prefill, decode);

        for (StubServer server : List.of(prefill, decode)) {
            StubServer.Received received = server.nextRequest();
            assertThat(received.header("x-request-id")).containsExactly("req-1");
            assertThat(received.header("authorization")).containsExactly("Bearer client-key");
            assertThat(received.header("traceparent")).hasSize(1);
            assertThat(received.header("content-length")).as("the body's own, once").hasSize(1);
        }
    }

    @Test
    void theWorkerKeyReplacesTheClientsCredentialOnBothLegs() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "application/json", "{}"));
        var decode = stub(exchange -> exchange.respond(200, "application/json", "{}"));

        generate(OutboundHeaders.withWorkerApiKey("worker-secret"), prefill, decode);

        for (StubServer server : List.of(prefill, decode)) {
            StubServer.Received received = server.nextRequest();
            assertThat(received.header("authorization")).containsExactly("Bearer worker-secret");
            assertThat(received.header("x-request-id")).containsExactly("req-1");
        }
    }

    @Test
    void adminCallsCarryTheContextAndTheWorkerKey() throws Exception {
        var server = stub(exchange -> exchange.respond(200, "text/plain", ""));

        new HttpClientWorkerAdminClient(client, TIMEOUT, OutboundHeaders.withWorkerApiKey("worker-secret"))
                .send(url(server), AdminRequest.FLUSH_CACHE, CONTEXT).get();

        StubServer.Received received = server.nextRequest();
        assertThat(received.header("authorization")).containsExactly("Bearer worker-secret");
        assertThat(received.header("x-request-id")).containsExactly("req-1");
    }

    @Test
    void healthChecksCarryTheWorkerKey() throws Exception {
        var server = stub(exchange -> exchange.respond(200, "text/plain", ""));

        new HttpClientWorkerProbe(client, TIMEOUT, "/health", OutboundHeaders.withWorkerApiKey("worker-secret"))
                .check(new DecodeWorker(url(server))).get();

        assertThat(server.nextRequest().header("authorization")).containsExactly("Bearer worker-secret");
    }

    @Test
    void withoutAWorkerKeyMiniLbsOwnCallsCarryNoCredential() throws Exception {
        var server = stub(exchange -> exchange.respond(200, "text/plain", ""));

        new HttpClientWorkerProbe(client, TIMEOUT, "/health", OutboundHeaders.none())
                .check(new DecodeWorker(url(server))).get();

        assertThat(server.nextRequest().header("authorization")).isEmpty();
    }

    @Test
    void aKeyThatWouldBreakTheHeaderIsRefused() {
        for (String key : List.of("", "two words", "line\nbreak")) {
            assertThatThrownBy(() -> OutboundHeaders.withWorkerApiKey(key))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private void generate(OutboundHeaders headers, StubServer prefill, StubServer decode) {
        var prefillWorker = PrefillWorker.of(url(prefill), 8998);
        GenerationRequest request = TestGenerations.request(Endpoint.GENERATE, false, false).withContext(CONTEXT);
        new HttpClientInferenceBackend(client, new ResponseLimits(1 << 20), new MemoryBudget(Long.MAX_VALUE), headers)
                .generate(new BackendPair(prefillWorker, new DecodeWorker(url(decode))),
                        BootstrapAssignment.single(prefillWorker, new BootstrapRoom(42)), request, TIMEOUT, observer);
        assertThat(observer.outcome.orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join())
                .isInstanceOf(RecordingObserver.Response.class);
    }

    private static String url(StubServer server) {
        return server.url();
    }
}
