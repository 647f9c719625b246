package io.minilb.application.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Payload;
import io.minilb.application.generation.Side;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.domain.BootstrapAssignment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(5);

    private final ManualTime time = new ManualTime();
    private final Backend backend = new Backend();

    @Test
    void pastTheConcurrencyLimitRequestsWaitAndStartInArrivalOrder() {
        var control = control(2, 3, 0);

        List<Client> clients = route(control, 5);

        assertThat(backend.started()).containsExactly(0, 1);
        assertThat(control.active()).isEqualTo(2);
        assertThat(control.queued()).isEqualTo(3);
        backend.routed.get(1).observer.onResponse(200, "application/json", new byte[0]);
        assertThat(backend.started()).containsExactly(0, 1, 2);
        backend.routed.get(0).observer.onStreamStart();
        backend.routed.get(0).observer.onStreamEnd();
        backend.routed.get(2).observer.onFailure(failure());
        assertThat(backend.started()).containsExactly(0, 1, 2, 3, 4);
        assertThat(control.queued()).isZero();
        assertThat(clients.get(1).responses).isEqualTo(1);
        assertThat(clients).allSatisfy(client -> assertThat(client.failures)
                .noneMatch(failure -> failure.side() == Side.NONE));
    }

    @Test
    void aFullQueueRefusesAtOnceWith429AndRoutesNothing() {
        var control = control(1, 2, 0);

        List<Client> clients = route(control, 5);

        assertThat(backend.started()).containsExactly(0);
        assertThat(clients.subList(3, 5)).allSatisfy(client -> assertThat(client.failures).singleElement()
                .satisfies(failure -> {
                    assertThat(failure.kind()).isEqualTo(GenerationFailure.Kind.QUEUE_FULL);
                    assertThat(failure.kind().httpStatus()).isEqualTo(429);
                    assertThat(failure.side()).isEqualTo(Side.NONE);
                }));
        assertThat(control.rejected(RejectionReason.QUEUE_FULL)).isEqualTo(2);
        assertThat(control.queued()).isEqualTo(2);
    }

    @Test
    void withoutAQueueARequestPastTheLimitIsRefusedAtOnce() {
        var control = control(1, 0, 0);

        List<Client> clients = route(control, 2);

        assertThat(clients.get(1).failures).extracting(GenerationFailure::kind)
                .containsExactly(GenerationFailure.Kind.QUEUE_FULL);
    }

    @Test
    void aRequestWaitingPastTheQueueTimeoutGets408AndLeavesTheQueue() {
        var control = control(1, 2, 0);
        List<Client> clients = route(control, 2);

        time.advance(QUEUE_TIMEOUT.minusMillis(1));
        assertThat(clients.get(1).failures).isEmpty();
        time.advance(Duration.ofMillis(1));

        assertThat(clients.get(1).failures).singleElement().satisfies(failure -> {
            assertThat(failure.kind()).isEqualTo(GenerationFailure.Kind.QUEUE_TIMEOUT);
            assertThat(failure.kind().httpStatus()).isEqualTo(408);
        });
        assertThat(control.queued()).isZero();
        assertThat(control.rejected(RejectionReason.QUEUE_TIMEOUT)).isEqualTo(1);
        backend.routed.get(0).observer.onResponse(200, "application/json", new byte[0]);
        assertThat(backend.started()).as("a timed-out request is never routed").containsExactly(0);
        assertThat(control.active()).isZero();
    }

    @Test
    void anAdmittedRequestNoLongerTimesOut() {
        var control = control(1, 1, 0);
        List<Client> clients = route(control, 2);
        backend.routed.get(0).observer.onResponse(200, "application/json", new byte[0]);

        time.advance(QUEUE_TIMEOUT.multipliedBy(2));

        assertThat(clients.get(1).failures).isEmpty();
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void aClientThatGoesAwayWhileQueuedLeavesTheQueueAtOnceAndIsNeverRouted() {
        var control = control(1, 1, 0);
        List<Client> clients = route(control, 2);

        clients.get(1).call.cancel();

        assertThat(control.queued()).isZero();
        assertThat(route(control, 1)).singleElement().satisfies(client -> assertThat(client.failures).isEmpty());
        assertThat(control.queued()).as("its place is free").isEqualTo(1);
        backend.routed.get(0).observer.onResponse(200, "application/json", new byte[0]);
        assertThat(backend.started()).containsExactly(0, 2);
        time.advance(QUEUE_TIMEOUT.multipliedBy(2));
        assertThat(clients.get(1).failures).isEmpty();
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void clientsJoiningAndLeavingTheQueueLeaveNoTimersBehind() {
        var control = control(1, 100, 0);
        route(control, 1);

        for (int i = 0; i < 100_000; i++) {
            route(control, 1).get(0).call.cancel();
        }

        assertThat(control.queued()).isZero();
        assertThat(time.pendingTimers()).as("one expiry timer for the whole queue").isLessThanOrEqualTo(1);
    }

    @Test
    void requestsQueuedAtDifferentTimesExpireEachAfterItsOwnWait() {
        var control = control(1, 5, 0);
        route(control, 1);
        Client early = route(control, 1).get(0);
        time.advance(Duration.ofSeconds(2));
        Client late = route(control, 1).get(0);

        time.advance(QUEUE_TIMEOUT.minusSeconds(2));
        assertThat(early.failures).extracting(GenerationFailure::kind)
                .containsExactly(GenerationFailure.Kind.QUEUE_TIMEOUT);
        assertThat(late.failures).isEmpty();
        time.advance(Duration.ofSeconds(2));
        assertThat(late.failures).extracting(GenerationFailure::kind)
                .containsExactly(GenerationFailure.Kind.QUEUE_TIMEOUT);
    }

    @Test
    void aSlotIsGivenBackExactlyOnceWhateverEndsTheRequest() {
        var control = control(1, 10, 0);

        // The client hangs up, the backend still reports an outcome, and the hang-up is seen twice.
        Client hungUp = route(control, 1).get(0);
        hungUp.call.cancel();
        backend.routed.get(0).observer.onFailure(failure());
        hungUp.call.cancel();
        assertThat(control.active()).isZero();

        // An outcome reported twice.
        route(control, 1);
        backend.routed.get(1).observer.onResponse(200, "application/json", new byte[0]);
        backend.routed.get(1).observer.onFailure(failure());
        assertThat(control.active()).isZero();

        route(control, 2);
        assertThat(control.active()).as("room for one, not more").isEqualTo(1);
        assertThat(control.queued()).isEqualTo(1);
    }

    @Test
    void aCancelledAdmittedRequestCancelsItsCallAndFreesItsSlot() {
        var control = control(1, 1, 0);
        List<Client> clients = route(control, 2);

        clients.get(0).call.cancel();

        assertThat(backend.routed.get(0).call.cancelled).isTrue();
        assertThat(backend.started()).containsExactly(0, 1);
        assertThat(control.active()).isEqualTo(1);
    }

    @Test
    void aRoutingThatThrowsGivesItsSlotBack() {
        var control = control(1, 1, 0);
        backend.failNext = true;

        assertThatThrownBy(() -> control.route(request(-1), new Client())).isInstanceOf(IllegalStateException.class);

        assertThat(control.active()).isZero();
    }

    @Test
    void aQueuedRequestWhoseRoutingThrowsFailsAloneAndTheQueueMovesOn() {
        var control = control(1, 2, 0);
        List<Client> clients = route(control, 3);
        backend.failNext = true;

        backend.routed.get(0).observer.onResponse(200, "application/json", new byte[0]);

        assertThat(clients.get(1).failures).extracting(GenerationFailure::kind)
                .containsExactly(GenerationFailure.Kind.OVERLOADED);
        assertThat(backend.started()).containsExactly(0, 2);
        assertThat(control.active()).isEqualTo(1);
    }

    @Test
    void theRateLimitAdmitsABurstOfOneSecondThenOneRequestPerToken() {
        var control = control(0, 10, 2);

        List<Client> clients = route(control, 5);

        assertThat(backend.started()).containsExactly(0, 1);
        time.advance(Duration.ofMillis(499));
        assertThat(backend.started()).containsExactly(0, 1);
        time.advance(Duration.ofMillis(1));
        assertThat(backend.started()).containsExactly(0, 1, 2);
        time.advance(Duration.ofSeconds(1));
        assertThat(backend.started()).containsExactly(0, 1, 2, 3, 4);
        time.advance(QUEUE_TIMEOUT);
        assertThat(clients).allSatisfy(client -> assertThat(client.failures).isEmpty());
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void theRateLimitWithoutAQueueRefusesWith429() {
        var control = control(0, 0, 1);

        List<Client> clients = route(control, 2);

        assertThat(clients.get(1).failures).extracting(GenerationFailure::kind)
                .containsExactly(GenerationFailure.Kind.QUEUE_FULL);
        time.advance(Duration.ofSeconds(1));
        assertThat(route(control, 1).get(0).failures).isEmpty();
    }

    @Test
    void aRequestWaitingForASlotSpendsNoToken() {
        var control = control(1, 10, 1);
        route(control, 2);

        time.advance(Duration.ofSeconds(3));
        backend.routed.get(0).observer.onResponse(200, "application/json", new byte[0]);

        assertThat(backend.started()).containsExactly(0, 1);
    }

    @Test
    void withoutLimitsEveryRequestStartsAtOnceAndIsCounted() {
        var control = new AdmissionControl(backend, AdmissionSettings.defaults(), time, time);

        route(control, 1000);

        assertThat(backend.routed).hasSize(1000);
        assertThat(control.active()).isEqualTo(1000);
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void aPauseBeforeTheRequestStartedReachesItsCallWhenItDoes() {
        var control = control(1, 1, 0);
        List<Client> clients = route(control, 2);

        clients.get(1).call.pause();
        backend.routed.get(0).observer.onResponse(200, "application/json", new byte[0]);

        assertThat(backend.routed.get(1).call.paused).isTrue();
        clients.get(1).call.resume();
        assertThat(backend.routed.get(1).call.paused).isFalse();
    }

    private AdmissionControl control(int maxConcurrent, int queueSize, int ratePerSecond) {
        return new AdmissionControl(backend, new AdmissionSettings(maxConcurrent, queueSize, QUEUE_TIMEOUT,
                ratePerSecond), time, time);
    }

    private List<Client> route(AdmissionControl control, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            Client client = new Client();
            client.call = control.route(request(client.number), client);
            return client;
        }).toList();
    }

    private static GenerationRequest request(int number) {
        return new GenerationRequest(Endpoint.GENERATE, new Numbered(number), false, false, OptionalInt.empty());
    }

    /** A body that says which client sent it, so the backend can tell the order requests reach it in. */
    private record Numbered(int number) implements Payload {
        @Override
        public byte[] renderWith(BootstrapAssignment assignment) {
            return new byte[0];
        }
    }

    private static GenerationFailure failure() {
        return new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE, "decode unreachable");
    }

    /** Records every routed request, numbered in the order they reached the control. */
    private final class Backend implements RouteGenerationUseCase {
        final List<Routed> routed = new ArrayList<>();
        boolean failNext;

        record Routed(int number, GenerationObserver observer, FakeCall call) {
        }

        @Override
        public GenerationCall route(GenerationRequest request, GenerationObserver observer) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("routing broke");
            }
            var call = new FakeCall();
            int number = ((Numbered) request.payload()).number();
            routed.add(new Routed(number, observer, call));
            return call;
        }

        List<Integer> started() {
            return routed.stream().map(Routed::number).toList();
        }
    }

    private int clientsCreated;

    private final class Client implements GenerationObserver {
        final int number = clientsCreated++;
        final List<GenerationFailure> failures = new ArrayList<>();
        int responses;
        GenerationCall call;

        @Override
        public void onResponse(int status, String contentType, byte[] body) {
            responses++;
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
            failures.add(failure);
        }
    }

    private static final class FakeCall implements GenerationCall {
        boolean cancelled;
        boolean paused;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }
    }
}
