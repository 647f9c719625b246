package io.minilb.application.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RoundRobinSelection;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.CircuitState;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class RouteGenerationTest {

    /** Opens on the second failure in a row, so that one failure shows as a count and two as an open circuit. */
    private final WorkerRegistry workers = new WorkerRegistry(
            new CircuitBreakerSettings(true, 2, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM);
    private final LiveWorker<PrefillWorker> firstPrefill = workers.addPrefill(
            PrefillWorker.of("http://[::1]:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<PrefillWorker> secondPrefill = workers.addPrefill(
            PrefillWorker.withoutBootstrapPort("http://p2:30000"), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> decode =
            workers.addDecode(new DecodeWorker("http://d1:31000"), WorkerOrigin.CONFIGURATION, true);
    private final AtomicLong nextRoom = new AtomicLong(100);
    private final ServingState state = new ServingState();
    private final RecordingBackend backend = new RecordingBackend();
    private final RouteGeneration routing = new RouteGeneration(workers,
            new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
            count -> java.util.stream.LongStream.range(0, count)
                    .mapToObj(i -> new BootstrapRoom(nextRoom.getAndIncrement())).toList(),
            backend, state, MonotonicClock.SYSTEM, Duration.ofMinutes(1), RecordingBackend.NO_RETRIES,
            new UnansweredAttempts());
    private final GenerationObserver client = mock(GenerationObserver.class);

    @Test
    void aSingleRequestGetsTheChosenPrefillsRendezvousAndOneRoom() {
        routing.route(request(OptionalInt.empty()), client);

        assertThat(backend.pair.get().prefill().url()).isEqualTo("http://[::1]:30000");
        assertThat(backend.assignment.get()).isEqualTo(new BootstrapAssignment(
                "[::1]", OptionalInt.of(8998), List.of(new BootstrapRoom(100)), false));
    }

    @Test
    void aBatchGetsOneRoomPerItem() {
        routing.route(request(OptionalInt.empty()), client);
        routing.route(request(OptionalInt.of(3)), client);

        BootstrapAssignment assignment = backend.assignment.get();
        assertThat(assignment.batch()).isTrue();
        assertThat(assignment.port()).isEmpty();
        assertThat(assignment.rooms()).extracting(BootstrapRoom::value).containsExactly(101L, 102L, 103L);
    }

    @Test
    void inFlightCountsUntilTheTerminalEvent() {
        routing.route(request(OptionalInt.empty()), client);
        assertThat(state.inFlight()).isEqualTo(1);

        backend.observer.get().onStreamStart();
        backend.observer.get().onFrame(new byte[] {1});
        assertThat(state.inFlight()).isEqualTo(1);

        assertThat(firstPrefill.inFlight()).isEqualTo(1);
        assertThat(decode.inFlight()).isEqualTo(1);

        backend.observer.get().onStreamEnd();
        assertThat(state.inFlight()).isZero();
        assertThat(firstPrefill.inFlight()).isZero();
        assertThat(decode.inFlight()).isZero();
        verify(client).onStreamStart();
        verify(client).onFrame(any());
        verify(client).onStreamEnd();
    }

    @Test
    void aFailureReachesTheClientAndCountsOutOnce() {
        routing.route(request(OptionalInt.empty()), client);
        var failure = new GenerationFailure(Side.PREFILL, GenerationFailure.Kind.UNREACHABLE, "refused");

        backend.observer.get().onFailure(failure);

        verify(client).onFailure(failure);
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void cancellingCancelsTheLegsAndCountsOutOnce() {
        GenerationCall call = routing.route(request(OptionalInt.empty()), client);

        call.cancel();
        call.cancel();

        assertThat(backend.cancellations.get()).isEqualTo(2);
        assertThat(state.inFlight()).isZero();
        verify(client).onRouted(anyString(), anyString(), anyInt());
        verifyNoMoreInteractions(client);
    }

    @Test
    void pausingAndResumingReachTheBackend() {
        GenerationCall call = routing.route(request(OptionalInt.empty()), client);

        call.pause();
        call.resume();

        assertThat(backend.pauses.get()).isEqualTo(1);
        assertThat(backend.resumes.get()).isEqualTo(1);
        assertThat(state.inFlight()).isEqualTo(1);
    }

    @Test
    void aBackendThatThrowsLeavesNothingInFlight() {
        InferenceBackend broken = mock(InferenceBackend.class);
        when(broken.generate(any(), any(), any(), any(), any())).thenThrow(new IllegalStateException("closed"));
        var failing = new RouteGeneration(workers,
                new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
                count -> List.of(new BootstrapRoom(1)), broken, state, MonotonicClock.SYSTEM, Duration.ofMinutes(1),
                RecordingBackend.NO_RETRIES, new UnansweredAttempts());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.route(request(OptionalInt.empty()), client))
                .hasMessage("closed");
        assertThat(state.inFlight()).isZero();
        assertThat(workers.snapshot()).allSatisfy(worker -> assertThat(worker.inFlight()).isZero());
    }

    @Test
    void aRefusedOrResetDecodeCountsAgainstTheDecodeOnly() {
        failTwice(new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE, "refused"));

        assertThat(decode.circuit().state()).isEqualTo(CircuitState.OPEN);
        assertThat(firstPrefill.circuit().recordFailure()).as("no failure counted before").isFalse();
        assertThat(secondPrefill.circuit().recordFailure()).isFalse();
    }

    @Test
    void aPrefillsTimeoutOrErrorStatusCountsAgainstThatPrefill() {
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onFailure(new GenerationFailure(Side.PREFILL, GenerationFailure.Kind.TIMEOUT, "late"));
        routing.route(request(OptionalInt.empty()), client);
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onFailure(
                new GenerationFailure(Side.PREFILL, GenerationFailure.Kind.UPSTREAM_ERROR, "HTTP 500"));

        assertThat(firstPrefill.circuit().state()).isEqualTo(CircuitState.OPEN);
        assertThat(decode.circuit().recordFailure()).as("no failure counted before").isFalse();
    }

    @Test
    void aDecodesServerErrorCountsAgainstTheDecode() {
        for (int i = 0; i < 2; i++) {
            routing.route(request(OptionalInt.empty()), client);
            backend.observer.get().onResponse(503, "application/json", new byte[0]);
        }

        assertThat(decode.circuit().state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aCompletedAnswerIsASuccessForBoth() {
        countOneFailureEach();
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onResponse(200, "application/json", new byte[0]);

        assertThat(decode.circuit().recordFailure()).as("the success cleared the failure").isFalse();
        assertThat(firstPrefill.circuit().recordFailure()).isFalse();
    }

    @Test
    void aFinishedStreamIsASuccessForBoth() {
        countOneFailureEach();
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onStreamStart();
        backend.observer.get().onStreamEnd();

        assertThat(decode.circuit().recordFailure()).isFalse();
        assertThat(firstPrefill.circuit().recordFailure()).isFalse();
    }

    @Test
    void aClientErrorACancelOrMiniLbsOwnLimitsRecordNothing() {
        countOneFailureEach();
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onResponse(400, "application/json", new byte[0]);
        routing.route(request(OptionalInt.empty()), client);
        routing.route(request(OptionalInt.empty()), client).cancel();
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onFailure(
                new GenerationFailure(Side.DECODE, GenerationFailure.Kind.OVERLOADED, "budget spent"));
        routing.route(request(OptionalInt.empty()), client);
        backend.observer.get().onFailure(
                new GenerationFailure(Side.DECODE, GenerationFailure.Kind.RESPONSE_TOO_LARGE, "too large"));

        assertThat(decode.circuit().recordFailure()).as("nothing cleared the first failure").isTrue();
        assertThat(firstPrefill.circuit().recordFailure()).isTrue();
    }

    @Test
    void aSideWithoutAvailableWorkersIsRefusedAtOnceWithA503NamingIt() {
        failTwice(new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE, "refused"));
        backend.observer.set(null);

        routing.route(request(OptionalInt.empty()), client).cancel();

        var failure = ArgumentCaptor.forClass(GenerationFailure.class);
        verify(client, times(3)).onFailure(failure.capture());
        GenerationFailure refused = failure.getValue();
        assertThat(refused.kind()).isEqualTo(GenerationFailure.Kind.NO_AVAILABLE_WORKER);
        assertThat(refused.kind().httpStatus()).isEqualTo(503);
        assertThat(refused.kind().type()).isEqualTo("no_available_worker");
        assertThat(refused.side()).isEqualTo(Side.DECODE);
        assertThat(refused.message()).isEqualTo("no decode server is available (1 configured: 1 circuit open)");
        assertThat(backend.observer.get()).as("nothing was sent").isNull();
        assertThat(state.inFlight()).isZero();
        assertThat(workers.snapshot()).allSatisfy(worker -> assertThat(worker.inFlight()).isZero());
    }

    private void failTwice(GenerationFailure failure) {
        for (int i = 0; i < 2; i++) {
            routing.route(request(OptionalInt.empty()), client);
            backend.observer.get().onFailure(failure);
        }
    }

    /** One failure on the decode and on the first prefill (chosen next): the next one would open their circuits. */
    private void countOneFailureEach() {
        decode.circuit().recordFailure();
        firstPrefill.circuit().recordFailure();
    }

    @Test
    void theRequestsRoutingContextReachesThePolicies() {
        var byPrompt = new RouteGeneration(workers,
                new PairSelector(new io.minilb.domain.selection.PrefixHashSelection(4, () -> 0L),
                        new RoundRobinSelection()),
                count -> java.util.stream.LongStream.range(0, count)
                        .mapToObj(i -> new BootstrapRoom(nextRoom.getAndIncrement())).toList(),
                backend, state, MonotonicClock.SYSTEM, Duration.ofMinutes(1), RecordingBackend.NO_RETRIES,
                new UnansweredAttempts());
        var prefills = new java.util.HashSet<String>();
        for (int i = 0; i < 8; i++) {
            var routingContext = io.minilb.domain.selection.RoutingContext.ofText(
                    java.util.Optional.empty(), "One shared system prompt; question " + i);
            byPrompt.route(new GenerationRequest(Endpoint.GENERATE, assignment -> new byte[0], false, false,
                    OptionalInt.empty(), routingContext), client);
            prefills.add(backend.pair.get().prefill().url());
            backend.observer.get().onFailure(
                    new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE, "done"));
        }
        assertThat(prefills).as("the prompts share their first tokens, so one prefill").hasSize(1);
    }

    private static GenerationRequest request(OptionalInt batchSize) {
        Payload payload = assignment -> new byte[0];
        return new GenerationRequest(Endpoint.GENERATE, payload, false, false, batchSize);
    }
}
