package io.minilb.adapters.out.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.adapters.out.http.RecordingObserver.Failure;
import io.minilb.adapters.out.http.RecordingObserver.Response;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A leg that ends early (its partner failed, or it was cancelled) gives its connection back at once,
 * so a storm of fast failures leaves each backend no more connections than the pool allows.
 */
class ConnectionReleaseTest extends PooledClientTest {

    private static final int PER_ROUTE = 16;
    private static final int GENERATIONS = 3_000;
    /** Generations in flight at once: more than the pool's per-route limit, so leases also wait. */
    private static final int CONCURRENCY = 32;
    /**
     * A server counts a connection until it has read its close, which lags behind the client's
     * closing it (the stub reads a connection only when a worker thread is free), so it may briefly
     * count more than the pool holds: up to four times as many were seen on a loaded machine. Leaked connections
     * were hundreds.
     */
    private static final long PEAK_BOUND = 8L * PER_ROUTE;
    /** Pooled connections idle for 2 s are closed by an evictor thread that checks every few seconds. */
    private static final Duration EVICTED = Duration.ofSeconds(15);

    private CloseableHttpAsyncClient pooled;

    @BeforeEach
    void startPooledClient() {
        pooled = BackendHttpClients.start(new BackendClientSettings(Duration.ofSeconds(5), PER_ROUTE, 4 * PER_ROUTE));
    }

    @AfterEach
    void closePooledClient() {
        BackendHttpClients.stop(pooled);
    }

    @Test
    void aRefusedDecodeLeavesThePrefillNoConnectionOutsideThePool() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "application/json", "{}"));

        List<RecordingObserver> outcomes = storm(prefill.url(), StubServer.unusedUrl());

        assertThat(outcomes).allSatisfy(each -> assertThat(each.outcome.join()).isInstanceOf(Failure.class));
        assertReleased(prefill);
    }

    @Test
    void aPrefillRefusingFastReleasesTheWaitingDecodesConnections() throws Exception {
        var prefill = stub(exchange -> exchange.respond(503, "application/json", "{}"));
        var decode = stub(StubServer.Exchange::hangUntilClosed);

        storm(prefill.url(), decode.url());

        // The refusals were complete answers, so their connections were kept.
        assertThat(clientPorts(prefill)).hasSizeLessThanOrEqualTo(PER_ROUTE);
        assertReleased(prefill);
        assertReleased(decode);
    }

    @Test
    void aDecodeRefusingFastReleasesTheSlowPrefillsConnections() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(exchange -> exchange.respond(503, "application/json", "{}"));

        storm(prefill.url(), decode.url());

        assertThat(clientPorts(decode)).hasSizeLessThanOrEqualTo(PER_ROUTE);
        assertReleased(prefill);
        assertReleased(decode);
    }

    @Test
    void cleanConnectionsGoBackToThePoolAndAreReused() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "application/json", "{}"));
        var decode = stub(exchange -> exchange.respond(200, "application/json", "{\"text\":\"ok\"}"));

        List<RecordingObserver> outcomes = storm(prefill.url(), decode.url());

        assertThat(outcomes).allSatisfy(each -> assertThat(each.outcome.join()).isInstanceOf(Response.class));
        assertThat(clientPorts(prefill)).hasSizeLessThanOrEqualTo(PER_ROUTE);
        assertThat(clientPorts(decode)).hasSizeLessThanOrEqualTo(PER_ROUTE);
        assertReleased(prefill);
        assertReleased(decode);
    }

    @Test
    void aRequestWaitsForAConnectionOfAFullPoolAtMostTheConnectTimeout() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(StubServer.Exchange::hangUntilClosed);
        var leaseTimeout = Duration.ofMillis(500);
        try (var oneConnectionPerServer = BackendHttpClients.start(new BackendClientSettings(leaseTimeout, 1, 2))) {
            var backend = new HttpClientInferenceBackend(oneConnectionPerServer,
                    new ResponseLimits(ResponseLimits.DEFAULT_MAX_RESPONSE_BYTES), new MemoryBudget(Long.MAX_VALUE));
            var holding = new RecordingObserver();
            var call = generate(backend, prefill.url(), decode.url(), Duration.ofSeconds(30), holding);
            prefill.nextRequest();
            decode.nextRequest();

            var waiting = new RecordingObserver();
            generate(backend, prefill.url(), decode.url(), Duration.ofSeconds(30), waiting);

            // Well before the first generation ends (the stubs hang for 10 s), which is when the pool would look again.
            assertThat(waiting.outcome).succeedsWithin(Duration.ofSeconds(5)).isInstanceOfSatisfying(Failure.class,
                    failure -> assertThat(failure.failure().kind()).isEqualTo(GenerationFailure.Kind.OVERLOADED));
            assertThat(holding.outcome).isNotDone();
            call.cancel();
        }
    }

    /**
     * Nothing of a finished generation outlives it: a timer per request (e.g. for the pool's lease timeout, also when
     * the pool granted the lease at once) kept every request's objects, up to the client's exchange, alive for the
     * whole timeout, which at thousands of requests a second held hundreds of MB. The pool's lease timeout here is a
     * minute, far longer than the test waits.
     */
    @Test
    void aFinishedGenerationIsNotKeptAliveByATimer() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "application/json", "{}"));
        var decode = stub(exchange -> exchange.respond(200, "application/json", "{\"text\":\"done\"}"));
        try (var patientPool = BackendHttpClients.start(new BackendClientSettings(Duration.ofMinutes(1), 4, 8))) {
            var backend = new HttpClientInferenceBackend(patientPool,
                    new ResponseLimits(ResponseLimits.DEFAULT_MAX_RESPONSE_BYTES), new MemoryBudget(Long.MAX_VALUE));
            var observer = new RecordingObserver();
            generate(backend, prefill.url(), decode.url(), Duration.ofMinutes(1), observer);
            assertThat(observer.outcome).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(Response.class);
            var finished = new java.lang.ref.WeakReference<>(observer);
            observer = null;

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return finished.get() == null;
            });
        }
    }

    /** Runs the generations, {@link #CONCURRENCY} at a time, and waits for them all to end. */
    private List<RecordingObserver> storm(String prefillUrl, String decodeUrl) throws InterruptedException {
        var backend = new HttpClientInferenceBackend(pooled,
                new ResponseLimits(ResponseLimits.DEFAULT_MAX_RESPONSE_BYTES), new MemoryBudget(Long.MAX_VALUE));
        var inFlight = new Semaphore(CONCURRENCY);
        List<RecordingObserver> observers = new ArrayList<>();
        for (int i = 0; i < GENERATIONS; i++) {
            inFlight.acquire();
            var observer = new RecordingObserver();
            observer.outcome.whenComplete((outcome, error) -> inFlight.release());
            observers.add(observer);
            generate(backend, prefillUrl, decodeUrl, Duration.ofSeconds(30), observer);
        }
        assertThat(inFlight.tryAcquire(CONCURRENCY, 60, SECONDS)).as("every generation ended").isTrue();
        return observers;
    }

    private static GenerationCall generate(
            HttpClientInferenceBackend backend, String prefillUrl, String decodeUrl, Duration timeout,
            RecordingObserver observer) {
        var prefill = PrefillWorker.of(prefillUrl, 8998);
        var pair = new BackendPair(prefill, new DecodeWorker(decodeUrl));
        var request = new GenerationRequest(Endpoint.GENERATE,
                assignment -> "{\"text\":\"hi\"}".getBytes(UTF_8), false, false, OptionalInt.empty());
        return backend.generate(pair, BootstrapAssignment.single(prefill, new BootstrapRoom(42)), request, timeout, observer);
    }

    /** The client ports the server's requests came from: one per connection. */
    private static Set<Integer> clientPorts(StubServer server) throws InterruptedException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < GENERATIONS; i++) {
            ports.add(server.nextRequest().clientPort());
        }
        return ports;
    }

    /** The server never held many more than the pool allows, and all are closed once the pool evicts its idle ones. */
    private static void assertReleased(StubServer server) {
        assertThat(server.peakOpenConnections()).as("peak open connections at " + server.url())
                .isLessThanOrEqualTo(PEAK_BOUND);
        await().atMost(EVICTED).untilAsserted(() -> assertThat(server.openConnections())
                .as("open connections at " + server.url()).isZero());
    }
}
