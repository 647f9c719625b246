package io.minilb.application.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
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
import io.minilb.domain.Topology;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.selection.RoundRobinSelection;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RouteGenerationTest {

    private final Topology topology = new Topology(
            List.of(PrefillWorker.of("http://[::1]:30000", 8998), PrefillWorker.withoutBootstrapPort("http://p2:30000")),
            List.of(new DecodeWorker("http://d1:31000")));
    private final AtomicLong nextRoom = new AtomicLong(100);
    private final ServingState state = new ServingState();
    private final RecordingBackend backend = new RecordingBackend();
    private final RouteGeneration routing = new RouteGeneration(topology,
            new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
            count -> java.util.stream.LongStream.range(0, count)
                    .mapToObj(i -> new BootstrapRoom(nextRoom.getAndIncrement())).toList(),
            backend, state, MonotonicClock.SYSTEM);
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

        backend.observer.get().onStreamEnd();
        assertThat(state.inFlight()).isZero();
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
        when(broken.generate(any(), any(), any(), any())).thenThrow(new IllegalStateException("closed"));
        var failing = new RouteGeneration(topology,
                new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
                count -> List.of(new BootstrapRoom(1)), broken, state, MonotonicClock.SYSTEM);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.route(request(OptionalInt.empty()), client))
                .hasMessage("closed");
        assertThat(state.inFlight()).isZero();
    }

    private static GenerationRequest request(OptionalInt batchSize) {
        Payload payload = assignment -> new byte[0];
        return new GenerationRequest(Endpoint.GENERATE, payload, false, false, batchSize);
    }

    private static final class RecordingBackend implements InferenceBackend {
        final AtomicReference<BackendPair> pair = new AtomicReference<>();
        final AtomicReference<BootstrapAssignment> assignment = new AtomicReference<>();
        final AtomicReference<GenerationObserver> observer = new AtomicReference<>();
        final AtomicLong cancellations = new AtomicLong();
        final AtomicLong pauses = new AtomicLong();
        final AtomicLong resumes = new AtomicLong();

        @Override
        public GenerationCall generate(BackendPair pair, BootstrapAssignment assignment, GenerationRequest request,
                GenerationObserver observer) {
            this.pair.set(pair);
            this.assignment.set(assignment);
            this.observer.set(observer);
            return new GenerationCall() {
                @Override
                public void cancel() {
                    cancellations.incrementAndGet();
                }

                @Override
                public void pause() {
                    pauses.incrementAndGet();
                }

                @Override
                public void resume() {
                    resumes.incrementAndGet();
                }
            };
        }
    }
}
