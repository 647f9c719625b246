package io.minilb.application.generation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.port.out.DelayScheduler;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class RetryingGenerationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong();
    private final WorkerRegistry workers = new WorkerRegistry(
            new CircuitBreakerSettings(true, 5, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            new HealthThresholds(1, 1), now::get);
    private final LiveWorker<PrefillWorker> prefill = workers.addPrefill(
            PrefillWorker.of("http://p1:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> firstDecode =
            workers.addDecode(new DecodeWorker("http://d1:31000"), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> secondDecode =
            workers.addDecode(new DecodeWorker("http://d2:31000"), WorkerOrigin.CONFIGURATION, true);
    private final AtomicLong nextRoom = new AtomicLong(100);
    private final ServingState state = new ServingState();
    private final RecordingBackend backend = new RecordingBackend();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final UnansweredAttempts unanswered = new UnansweredAttempts();
    /** 3 attempts, 100 ms then 150 ms, no jitter. */
    private final RouteGeneration routing = new RouteGeneration(workers,
            new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
            count -> LongStream.range(0, count).mapToObj(i -> new BootstrapRoom(nextRoom.getAndIncrement())).toList(),
            backend, state, now::get, TIMEOUT, new Retries(
                    new RetrySettings(true, 3, Duration.ofMillis(100), Duration.ofSeconds(1), 1.5, 0.0),
                    () -> 0L, scheduler), unanswered);
    private final GenerationObserver client = mock(GenerationObserver.class);

    @Test
    void aRefusedDecodeIsRetriedOnTheOtherDecodeWithANewRoomAndBody() {
        routing.route(request(false), client);
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));

        verifyNoOutcome(client);
        assertThat(state.inFlight()).as("still in flight during the backoff").isEqualTo(1);
        assertThat(scheduler.delays).containsExactly(Duration.ofMillis(100));
        scheduler.runNext();

        assertThat(backend.sent).hasSize(2);
        assertThat(backend.sent.get(0).pair().decode().url()).isEqualTo("http://d1:31000");
        assertThat(backend.sent.get(1).pair().decode()).isEqualTo(secondDecode.worker());
        assertThat(backend.sent.get(1).pair().prefill()).as("the only prefill, though it was in the failed pair")
                .isEqualTo(prefill.worker());
        assertThat(backend.sent.get(1).assignment().rooms()).containsExactly(new BootstrapRoom(101));
        assertThat(new String(backend.sent.get(1).body(), UTF_8)).isEqualTo("room 101");
        attempt(1).onResponse(200, "application/json", new byte[0]);

        verify(client).onResponse(200, "application/json", new byte[0]);
        verify(client, never()).onFailure(any());
        assertThat(state.inFlight()).isZero();
        assertThat(workers.snapshot()).allSatisfy(worker -> assertThat(worker.inFlight()).isZero());
        assertThat(firstDecode.circuit().recordFailure()).as("the refusal counted against d1").isFalse();
    }

    @Test
    void anAttemptWaitingOnADecodeFoundUnhealthyIsCancelledAndRetriedOnAnotherDecode() {
        routing.route(request(false), client);
        GenerationObserver abandoned = attempt(0);

        assertThat(unanswered.abandonOn(firstDecode)).isEqualTo(1);

        assertThat(backend.cancellations).hasValue(1);
        abandoned.onResponse(200, "application/json", new byte[] {1}); // raced the cancel: dropped
        verifyNoOutcome(client);
        scheduler.runNext();
        assertThat(backend.sent.get(1).pair().decode()).isEqualTo(secondDecode.worker());
        attempt(1).onResponse(200, "application/json", new byte[0]);

        verify(client).onResponse(200, "application/json", new byte[0]);
        assertThat(state.inFlight()).isZero();
        assertThat(workers.snapshot()).allSatisfy(worker -> assertThat(worker.inFlight()).isZero());
        assertThat(unanswered.abandonOn(firstDecode)).as("nothing waits on it any more").isZero();
    }

    @Test
    void anAttemptThatHeardFromItsDecodeIsNotAbandoned() {
        routing.route(request(true), client);
        attempt(0).onStreamStart();

        assertThat(unanswered.abandonOn(firstDecode)).isZero();

        assertThat(backend.cancellations).hasValue(0);
        attempt(0).onFrame(new byte[] {1});
        verify(client).onFrame(new byte[] {1});
    }

    @Test
    void anAttemptCancelledByItsClientIsNoLongerTracked() {
        GenerationCall call = routing.route(request(false), client);

        call.cancel();

        assertThat(unanswered.abandonOn(firstDecode)).isZero();
        assertThat(unanswered.abandonOn(prefill)).isZero();
        verify(client, never()).onFailure(any());
    }

    @Test
    void theFailedDecodeIsAvoidedEvenWhenTheRotationWouldPickItAgain() {
        routing.route(request(false), client);
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));
        routing.route(request(false), client); // takes d2 in the rotation, so the retry's turn is d1
        scheduler.runNext();

        assertThat(backend.sent.get(2).pair().decode().url()).isEqualTo("http://d2:31000");
    }

    @Test
    void serverFailuresAndOverloadStatusesAreRetried() {
        for (GenerationFailure.Kind kind : List.of(Kind.UNREACHABLE, Kind.TIMEOUT, Kind.UPSTREAM_ERROR)) {
            routing.route(request(false), client);
            last().onFailure(new GenerationFailure(Side.PREFILL, kind, "prefill: " + kind));
        }
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            routing.route(request(false), client);
            last().onResponse(status, "application/json", new byte[0]);
        }

        assertThat(scheduler.delays).hasSize(9);
        verifyNoOutcome(client);
    }

    @Test
    void clientErrorsAndWhatMiniLbCouldNotHoldAreNeverRetried() {
        for (GenerationFailure.Kind kind : List.of(Kind.BAD_RESPONSE, Kind.RESPONSE_TOO_LARGE, Kind.OVERLOADED)) {
            routing.route(request(false), client);
            var failure = new GenerationFailure(Side.DECODE, kind, "decode: " + kind);
            last().onFailure(failure);
            verify(client).onFailure(failure);
        }
        for (int status : new int[] {400, 404, 413, 422}) {
            routing.route(request(false), client);
            last().onResponse(status, "application/json", new byte[0]);
            verify(client).onResponse(status, "application/json", new byte[0]);
        }

        assertThat(scheduler.delays).isEmpty();
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void aStreamThatFailedAfterItsFirstFrameIsNotRetried() {
        routing.route(request(true), client);
        var failure = new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: reset");
        attempt(0).onStreamStart();
        attempt(0).onFrame(new byte[] {1});
        attempt(0).onFailure(failure);

        verify(client).onFailure(failure);
        assertThat(scheduler.delays).isEmpty();
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void theAttemptsStopAtTheMaximumAndTheLastFailureReachesTheClient() {
        routing.route(request(false), client);
        for (int i = 0; i < 2; i++) {
            attempt(i).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused " + i));
            scheduler.runNext();
        }
        var last = new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused 2");
        attempt(2).onFailure(last);

        assertThat(scheduler.delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150));
        verify(client).onFailure(last);
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void eachAttemptGetsWhatIsLeftOfTheRequestTimeoutAndNoneStartsWithoutTime() {
        routing.route(request(false), client);
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));
        now.addAndGet(Duration.ofMillis(100).toNanos());
        scheduler.runNext();
        assertThat(backend.sent.get(0).timeout()).isEqualTo(TIMEOUT);
        assertThat(backend.sent.get(1).timeout()).isEqualTo(Duration.ofMillis(5_900));

        now.addAndGet(Duration.ofMillis(5_800).toNanos());
        var late = new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused");
        attempt(1).onFailure(late);

        assertThat(scheduler.delays).as("a 150 ms backoff would outlast the 100 ms left").hasSize(1);
        verify(client).onFailure(late);
    }

    @Test
    void aBackoffTimerThatFiresPastTheDeadlineEndsTheRequestWithATimeout() {
        routing.route(request(false), client);
        attempt(0).onFailure(new GenerationFailure(Side.PREFILL, Kind.UNREACHABLE, "prefill: refused"));
        now.addAndGet(TIMEOUT.toNanos());
        scheduler.runNext();

        verify(client).onFailure(new GenerationFailure(Side.PREFILL, Kind.TIMEOUT,
                "prefill: no answer within the request timeout; attempts made: 1"));
        assertThat(backend.sent).hasSize(1);
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void cancellingDuringTheBackoffSendsNothingMore() {
        GenerationCall call = routing.route(request(false), client);
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));

        call.cancel();
        assertThat(scheduler.cancelled).isEqualTo(1);
        scheduler.runNext();

        assertThat(backend.sent).hasSize(1);
        assertThat(state.inFlight()).isZero();
        verifyNoOutcome(client);
    }

    @Test
    void aRetryThatFindsNoAvailableWorkerIsRefusedNamingTheSide() {
        var onlyWorkers = new WorkerRegistry(
                new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
                new HealthThresholds(1, 1), now::get);
        onlyWorkers.addPrefill(PrefillWorker.of("http://p1:30000", 8998), WorkerOrigin.CONFIGURATION, true);
        onlyWorkers.addDecode(new DecodeWorker("http://d1:31000"), WorkerOrigin.CONFIGURATION, true);
        var single = new RouteGeneration(onlyWorkers,
                new PairSelector(new RoundRobinSelection(), new RoundRobinSelection()),
                count -> List.of(new BootstrapRoom(1)), backend, state, now::get, TIMEOUT,
                new Retries(new RetrySettings(true, 3, Duration.ZERO, Duration.ZERO, 1.5, 0.0), () -> 0L, scheduler),
                new UnansweredAttempts());

        single.route(request(false), client);
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));
        scheduler.runNext();

        verify(client).onFailure(org.mockito.ArgumentMatchers.argThat(failure ->
                failure.kind() == Kind.NO_AVAILABLE_WORKER && failure.side() == Side.DECODE));
        assertThat(backend.sent).hasSize(1);
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void eachAttemptsPairIsReportedBeforeItsEventsSoTheLastNamesThePairThatAnswered() {
        routing.route(request(false), client);
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));
        scheduler.runNext();
        attempt(1).onResponse(200, "application/json", new byte[0]);

        var order = org.mockito.Mockito.inOrder(client);
        order.verify(client).onRouted("http://p1:30000", "http://d1:31000", 1);
        order.verify(client).onRouted("http://p1:30000", "http://d2:31000", 2);
        order.verify(client).onResponse(200, "application/json", new byte[0]);
    }

    @Test
    void theRequestIdIsInTheLoggingContextOfEveryEventAndRetryButNotAfter() {
        List<String> seen = new ArrayList<>();
        GenerationObserver recording = new GenerationObserver() {
            @Override
            public void onResponse(int status, String contentType, byte[] body) {
                seen.add("response " + MDC.get(RequestLogging.REQUEST_ID_KEY));
            }

            @Override
            public void onStreamStart() {
            }

            @Override
            public void onFrame(byte[] frame) {
            }

            @Override
            public void onStreamEnd() {
            }

            @Override
            public void onFailure(GenerationFailure failure) {
            }

            @Override
            public void onRouted(String prefillUrl, String decodeUrl, int attempt) {
                seen.add("routed " + attempt + " " + MDC.get(RequestLogging.REQUEST_ID_KEY));
            }
        };
        var context = new RequestContext("req-42", List.of());
        routing.route(request(false).withContext(context), recording);
        attempt(0).onFailure(new GenerationFailure(Side.DECODE, Kind.UNREACHABLE, "decode: refused"));
        scheduler.runNext();
        attempt(1).onResponse(200, "application/json", new byte[0]);

        assertThat(seen).containsExactly("routed 1 req-42", "routed 2 req-42", "response req-42");
        assertThat(MDC.get(RequestLogging.REQUEST_ID_KEY)).as("taken off once the work is done").isNull();
    }

    /** The client may learn of the attempts' pairs, but nothing of how the request ended. */
    private static void verifyNoOutcome(GenerationObserver client) {
        verify(client, never()).onResponse(org.mockito.ArgumentMatchers.anyInt(), any(), any());
        verify(client, never()).onStreamStart();
        verify(client, never()).onFrame(any());
        verify(client, never()).onStreamEnd();
        verify(client, never()).onFailure(any());
    }

    private GenerationObserver attempt(int index) {
        return backend.sent.get(index).observer();
    }

    private GenerationObserver last() {
        return backend.sent.get(backend.sent.size() - 1).observer();
    }

    private static GenerationRequest request(boolean stream) {
        Payload payload = assignment -> ("room " + assignment.rooms().get(0).value()).getBytes(UTF_8);
        return new GenerationRequest(Endpoint.GENERATE, payload, stream, false, OptionalInt.empty());
    }

    /** Keeps the tasks until the test runs them, in order. */
    private static final class FakeScheduler implements DelayScheduler {
        final List<Duration> delays = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();
        int cancelled;
        private int next;

        @Override
        public Scheduled schedule(Duration delay, Runnable task) {
            delays.add(delay);
            int index = tasks.size();
            tasks.add(task);
            return () -> {
                cancelled++;
                tasks.set(index, () -> { });
            };
        }

        void runNext() {
            tasks.get(next++).run();
        }
    }
}
