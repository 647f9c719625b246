package io.minilb.application.generation;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.application.port.out.RoutingMetrics;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.retry.Deadline;
import io.minilb.domain.room.RoomAllocator;
import io.minilb.domain.selection.PairSelection;
import io.minilb.domain.selection.PairSelector;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks a pair among the available workers, allocates rooms, and hands both legs to the backend; when that attempt
 * fails before the client got anything, tries again on another pair (see {@link RetryingGeneration}).
 */
public final class RouteGeneration implements RouteGenerationUseCase {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGeneration.class);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final GenerationCall NOTHING_SENT = new GenerationCall() {
        @Override
        public void cancel() {
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }
    };

    private final WorkerRegistry workers;
    private final PairSelector pairSelector;
    private final RoomAllocator roomAllocator;
    private final InferenceBackend backend;
    private final ServingState inFlight;
    private final FailureLog failureLog;
    private final MonotonicClock clock;
    private final Duration requestTimeout;
    private final Retries retries;
    private final UnansweredAttempts unanswered;
    private final RoutingMetrics metrics;

    /**
     * @param clock paces the failure log lines (one per server and kind of failure every 10 s) and measures each
     *     request's deadline and each successful attempt's duration
     * @param requestTimeout bounds each request, all its attempts and backoffs together
     * @param unanswered where attempts wait for their first answer, so that a worker found unhealthy meanwhile
     *     does not hold them
     */
    public RouteGeneration(
            WorkerRegistry workers,
            PairSelector pairSelector,
            RoomAllocator roomAllocator,
            InferenceBackend backend,
            ServingState inFlight,
            MonotonicClock clock,
            Duration requestTimeout,
            Retries retries,
            UnansweredAttempts unanswered) {
        this(workers, pairSelector, roomAllocator, backend, inFlight, clock, requestTimeout, retries, unanswered,
                RoutingMetrics.NONE);
    }

    /** As the other constructor, reporting each attempt's outcome to {@code metrics}. */
    public RouteGeneration(
            WorkerRegistry workers,
            PairSelector pairSelector,
            RoomAllocator roomAllocator,
            InferenceBackend backend,
            ServingState inFlight,
            MonotonicClock clock,
            Duration requestTimeout,
            Retries retries,
            UnansweredAttempts unanswered,
            RoutingMetrics metrics) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.pairSelector = Objects.requireNonNull(pairSelector, "pairSelector");
        this.roomAllocator = Objects.requireNonNull(roomAllocator, "roomAllocator");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.failureLog = new FailureLog(clock, FAILURE_LOG_INTERVAL);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.unanswered = Objects.requireNonNull(unanswered, "unanswered");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public GenerationCall route(GenerationRequest request, GenerationObserver observer) {
        var generation = new RetryingGeneration(request, observer, this::attempt, Deadline.after(clock, requestTimeout),
                retries, inFlight::requestFinished, failureLog, metrics);
        inFlight.requestStarted();
        RequestLogging.run(request.context(), generation::start);
        return generation;
    }

    /**
     * Starts one attempt on a pair chosen away from {@code avoid} where possible, with fresh rooms (the backend
     * renders the body again), within {@code timeout}; a side without available workers is refused through
     * {@code observer} at once.
     */
    private GenerationCall attempt(
            GenerationRequest request, AttemptObserver observer, Duration timeout, Set<String> avoid) {
        PairSelection selection = pairSelector.select(workers, avoid, request.routing());
        if (selection instanceof PairSelection.NoneAvailable none) {
            refuse(request, none, observer);
            return NOTHING_SENT;
        }
        var chosen = (PairSelection.Chosen) selection;
        BackendPair pair = chosen.pair();
        observer.pairChosen(chosen);
        metrics.attemptSent(chosen.prefill(), chosen.decode());
        var tracked = new TrackedObserver(observer, request.endpoint(), chosen, failureLog, metrics, clock);
        UnansweredAttempts.Waiting waiting =
                unanswered.track(chosen, RequestLogging.observer(request.context(), tracked));
        GenerationCall call;
        try {
            call = backend.generate(pair, assign(pair, request), request, timeout, waiting);
        } catch (RuntimeException e) {
            waiting.ended();
            tracked.finish();
            throw e;
        }
        waiting.sent(call);
        return new GenerationCall() {
            @Override
            public void cancel() {
                call.cancel();
                waiting.ended();
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

    /** Answers at once: waiting would not make a worker available sooner than the client can retry. */
    private void refuse(GenerationRequest request, PairSelection.NoneAvailable none, GenerationObserver observer) {
        Side side = Side.of(none.role());
        String reasons = none.registered() == 0
                ? "none registered"
                : none.registered() + " configured: " + none.reasons().entrySet().stream()
                        .map(reason -> reason.getValue() + " " + reason.getKey().label())
                        .collect(Collectors.joining(", "));
        String message = "no " + side.label() + " server is available (" + reasons + ")";
        failureLog.log("no " + side.label(), suppressed -> LOG.warn("{} refused: {}{}",
                request.endpoint().path(), message, FailureLog.suppressedNote(suppressed)));
        metrics.refused(none.role());
        observer.onFailure(new GenerationFailure(side, GenerationFailure.Kind.NO_AVAILABLE_WORKER, message));
    }

    private BootstrapAssignment assign(BackendPair pair, GenerationRequest request) {
        if (request.isBatch()) {
            List<BootstrapRoom> rooms = roomAllocator.allocate(request.batchSize().getAsInt());
            return BootstrapAssignment.batch(pair.prefill(), rooms);
        }
        return BootstrapAssignment.single(pair.prefill(), roomAllocator.allocate(1).get(0));
    }

    /** Learns the pair an attempt goes to before any of its events. */
    interface AttemptObserver extends GenerationObserver {
        void pairChosen(PairSelection.Chosen pair);
    }
}
