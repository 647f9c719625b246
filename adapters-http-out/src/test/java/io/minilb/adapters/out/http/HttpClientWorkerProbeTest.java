package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.health.ProbeResult;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpClientWorkerProbeTest extends PooledClientTest {

    /** Only the test of the timeout itself waits this little; the others must not time out on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @Test
    void aDecodeAnswering2xxOnTheEndpointPasses() throws Exception {
        var decode = stub(exchange -> exchange.respond(200, "text/plain", ""));

        ProbeResult result = check(new DecodeWorker(decode.url()), "/health");

        assertThat(result.passed()).isTrue();
        StubServer.Received received = decode.nextRequest();
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.path()).isEqualTo("/health");
    }

    @Test
    void theConfiguredEndpointIsTheOneChecked() throws Exception {
        var decode = stub(exchange -> exchange.respond(200, "application/json", "{}"));

        assertThat(check(new DecodeWorker(decode.url()), "/health_generate").passed()).isTrue();
        assertThat(decode.nextRequest().path()).isEqualTo("/health_generate");
    }

    @Test
    void aServerAnsweringAnErrorStatusFails() throws Exception {
        var decode = stub(exchange -> exchange.respond(503, "text/plain", "starting"));

        ProbeResult result = check(new DecodeWorker(decode.url()), "/health");

        assertThat(result.passed()).isFalse();
        assertThat(result.problem()).isEqualTo("GET /health: HTTP 503");
    }

    @Test
    void aPrefillPassesOnlyWhenItsHttpAndBootstrapServersBothAnswer() throws Exception {
        var http = stub(exchange -> exchange.respond(200, "text/plain", ""));
        var bootstrap = stub(exchange -> exchange.respond(200, "text/plain", "OK"));

        ProbeResult result = check(PrefillWorker.of(http.url(), port(bootstrap)), "/health");

        assertThat(result.passed()).as(result.problem()).isTrue();
        assertThat(http.nextRequest().path()).isEqualTo("/health");
        assertThat(bootstrap.nextRequest().path()).isEqualTo("/health");
    }

    @Test
    void aPrefillWhoseBootstrapServerIsDownFailsNamingTheBootstrapAddress() throws Exception {
        var http = stub(exchange -> exchange.respond(200, "text/plain", ""));
        int deadPort = URI.create(StubServer.unusedUrl()).getPort();

        ProbeResult result = check(PrefillWorker.of(http.url(), deadPort), "/health");

        assertThat(result.passed()).isFalse();
        assertThat(result.problem()).isEqualTo(
                "its KV bootstrap server 127.0.0.1:" + deadPort + " did not answer GET /health: connection refused");
    }

    @Test
    void aPrefillWhoseHttpServerFailsFailsEvenWithItsBootstrapServerUp() throws Exception {
        var http = stub(exchange -> exchange.respond(500, "text/plain", ""));
        var bootstrap = stub(exchange -> exchange.respond(200, "text/plain", "OK"));

        ProbeResult result = check(PrefillWorker.of(http.url(), port(bootstrap)), "/health");

        assertThat(result.passed()).isFalse();
        assertThat(result.problem()).isEqualTo("GET /health: HTTP 500");
    }

    @Test
    void aPrefillWithoutABootstrapPortIsCheckedOnSglangsDefaultPort() throws Exception {
        var http = stub(exchange -> exchange.respond(200, "text/plain", ""));

        ProbeResult result = check(PrefillWorker.withoutBootstrapPort(http.url()), "/health");

        // Nothing is started on 8998 here: unless some other server answers there, the check fails naming it.
        assertThat(result.passed() || result.problem().contains("127.0.0.1:8998")).as(result.problem()).isTrue();
    }

    @Test
    void aSilentServerFailsAfterTheTimeoutAndItsConnectionIsClosed() throws Exception {
        var decode = stub(StubServer.Exchange::hangUntilClosed);

        long started = System.nanoTime();
        ProbeResult result = check(new DecodeWorker(decode.url()), "/health", TIMEOUT);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMEOUT);
        assertThat(result.problem()).isEqualTo("GET /health: timed out after 300 ms");
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        String url = StubServer.unusedUrl();

        ProbeResult result = check(new DecodeWorker(url), "/health");

        assertThat(result.problem()).isEqualTo("GET /health: connection refused");
    }

    private static int port(StubServer server) {
        return URI.create(server.url()).getPort();
    }

    private static ProbeResult check(Worker worker, String endpoint) {
        return check(worker, endpoint, GENEROUS);
    }

    private static ProbeResult check(Worker worker, String endpoint, Duration timeout) {
        CompletableFuture<ProbeResult> result = new HttpClientWorkerProbe(client, timeout, endpoint).check(worker);
        assertThat(result).succeedsWithin(timeout.plus(PROMPTLY));
        return result.join();
    }
}
