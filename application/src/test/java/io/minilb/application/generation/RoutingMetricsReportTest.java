package io.minilb.application.generation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.retry.RetrySettings;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RoundRobinSelection;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import io.minilb.domain.worker.WorkerRole;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What routing tells its {@link RoutingMetrics}, and the dispatch signal it passes on to the client's observer. */
class RoutingMetricsReportTest {

    private final WorkerRegistry workers = new WorkerRegistry(
            new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            new HealthThresholds(1, 1), () -> 0L);
    private final LiveWorker<PrefillWorker> prefill = workers.addPrefill(
            PrefillWorker.of("http://p1:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> firstDecode =
            workers.addDecode(new DecodeWorker("http://d1:31000"), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> secondDecode =
            workers.addDecode(new DecodeWorker("http://d2:31000"), WorkerOrigin.CONFIGURATION, true);
    private final RecordingBackend backend = new RecordingBackend();
    private final RoutingMetrics metrics = mock(RoutingMetrics.class);
    private final GenerationObserver client = mock(GenerationObserver.class);
    /** 3 attempts; a retry starts at once, on the test's thread. */
    private final RouteGeneration routing = new RouteGeneration(workers,
            new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
            count -> List.of(new BootstrapRoom(1)), backend, new ServingState(), () -> 0L, Duration.ofSeconds(10),
            new Retries(new RetrySettings(true, 3, Duration.ZERO, Duration.ZERO, 1.0, 0.0), () -> 0L,
                    (delay, task) -> {
                        task.run();
                        return () -> { };
                    }),
            new UnansweredAttempts(), metrics);

    @Test
    void eachAttemptItsFailureAndTheRetryAreReported() {
        routing.route(request(), client);
        backend.sent.get(0).observer().onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "refused"));
        backend.sent.get(1).observer().onResponse(200, "application/json", new byte[0]);

        var order = inOrder(metrics);
        order.verify(metrics).attemptSent(prefill, firstDecode);
        order.verify(metrics).attemptFailed(firstDecode, Kind.UNREACHABLE);
        verify(metrics).retried(Kind.UNREACHABLE);
        verify(metrics).attemptSent(prefill, secondDecode);
        verify(metrics, never()).attemptFailed(secondDecode, Kind.UNREACHABLE);
    }

    @Test
    void aDecodesServerErrorIsAFailureOfThatDecode() {
        routing.route(request(), client);
        backend.sent.get(0).observer().onResponse(503, "application/json", new byte[0]);
        backend.sent.get(1).observer().onResponse(200, "application/json", new byte[0]);

        verify(metrics).attemptFailed(firstDecode, Kind.UPSTREAM_ERROR);
        verify(metrics).retried(Kind.UPSTREAM_ERROR);
        verify(metrics, never()).attemptFailed(secondDecode, Kind.UPSTREAM_ERROR);
        verify(metrics, never()).attemptFailed(prefill, Kind.UPSTREAM_ERROR);
    }

    @Test
    void aRefusalForWantOfAWorkerNamesTheRole() {
        workers.remove(firstDecode.id());
        workers.remove(secondDecode.id());
        routing.route(request(), client);

        verify(metrics).refused(WorkerRole.DECODE);
        verify(metrics, never()).attemptSent(prefill, firstDecode);
    }

    @Test
    void theDispatchOfAnAttemptReachesTheClientsObserver() {
        routing.route(request(), client);
        backend.sent.get(0).observer().onDispatched();

        verify(client).onDispatched();
    }

    private static GenerationRequest request() {
        Payload payload = assignment -> "body".getBytes(UTF_8);
        return new GenerationRequest(Endpoint.GENERATE, payload, false, false, OptionalInt.empty());
    }
}
