package io.minilb.application.generation;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.Topology;
import io.minilb.domain.room.RoomAllocator;
import io.minilb.domain.selection.PairSelector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Picks a pair, allocates rooms, and hands both legs to the backend. */
public final class RouteGeneration implements RouteGenerationUseCase {

    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

    private final Topology topology;
    private final PairSelector pairSelector;
    private final RoomAllocator roomAllocator;
    private final InferenceBackend backend;
    private final ServingState inFlight;
    private final FailureLog failureLog;

    /** @param clock paces the failure log lines (one per server and kind of failure every 10 s) */
    public RouteGeneration(
            Topology topology,
            PairSelector pairSelector,
            RoomAllocator roomAllocator,
            InferenceBackend backend,
            ServingState inFlight,
            MonotonicClock clock) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.pairSelector = Objects.requireNonNull(pairSelector, "pairSelector");
        this.roomAllocator = Objects.requireNonNull(roomAllocator, "roomAllocator");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.failureLog = new FailureLog(clock, FAILURE_LOG_INTERVAL);
    }

    @Override
    public GenerationCall route(GenerationRequest request, GenerationObserver observer) {
        BackendPair pair = pairSelector.select(topology);
        BootstrapAssignment assignment = assign(pair, request);
        var tracked = new TrackedObserver(observer, request.endpoint(), pair, inFlight, failureLog);
        inFlight.requestStarted();
        GenerationCall call;
        try {
            call = backend.generate(pair, assignment, request, tracked);
        } catch (RuntimeException e) {
            tracked.finish();
            throw e;
        }
        return new GenerationCall() {
            @Override
            public void cancel() {
                call.cancel();
                tracked.cancelled();
            }

            @Override
            public void pause() {
                call.pause();
            }

            @Override
            public void resume() {
                call.resume();
            }
        };
    }

    private BootstrapAssignment assign(BackendPair pair, GenerationRequest request) {
        if (request.isBatch()) {
            List<BootstrapRoom> rooms = roomAllocator.allocate(request.batchSize().getAsInt());
            return BootstrapAssignment.batch(pair.prefill(), rooms);
        }
        return BootstrapAssignment.single(pair.prefill(), roomAllocator.allocate(1).get(0));
    }
}
