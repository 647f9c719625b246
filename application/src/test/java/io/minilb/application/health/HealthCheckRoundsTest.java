package io.minilb.application.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.minilb.application.generation.UnansweredAttempts;
import io.minilb.application.port.out.RoundScheduler;
import io.minilb.application.port.out.WorkerProbe;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthCheckRoundsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final WorkerRegistry registry = new WorkerRegistry(
            new CircuitBreakerSettings(true, 3, 2, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            new HealthThresholds(3, 2), MonotonicClock.SYSTEM);
    private final LiveWorker<PrefillWorker> prefill =
            registry.addPrefill(PrefillWorker.of("http://p:30000", 8998), WorkerOrigin.CONFIGURATION, true);
    private final LiveWorker<DecodeWorker> decode =
            registry.addDecode(new DecodeWorker("http://d:30000"), WorkerOrigin.CONFIGURATION, true);
    private final FakeProbe probe = new FakeProbe();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final UnansweredAttempts unanswered = mock(UnansweredAttempts.class);
    private final AtomicLong now = new AtomicLong();
    private final HealthCheckRounds rounds = new HealthCheckRounds(registry, probe, scheduler, INTERVAL, unanswered,
            now::get);

    @Test
    void theFirstRoundRunsAtStartAndTheNextOnesEveryInterval() {
        CompletableFuture<Void> first = rounds.start();

        assertThat(probe.checked()).containsExactly(prefill.url(), decode.url());
        assertThat(scheduler.period).isEqualTo(INTERVAL);
        probe.answerAll(ProbeResult.ok());
        assertThat(first).isDone();

        scheduler.tick();
        assertThat(probe.checked()).hasSize(4);
    }

    @Test
    void theFirstRoundEndsOnlyWhenEveryWorkerHasAnswered() {
        CompletableFuture<Void> first = rounds.start();

        probe.answer(0, ProbeResult.ok());

        assertThat(first).isNotDone();
        probe.answer(1, ProbeResult.ok());
        assertThat(first).isDone();
    }

    @Test
    void aConfiguredWorkerThatFailsTheFirstRoundIsOutAtOnce() {
        rounds.start();

        probe.answer(0, ProbeResult.failed("bootstrap server p:8998 refused"));
        probe.answer(1, ProbeResult.ok());

        assertThat(prefill.health().isHealthy()).isFalse();
        assertThat(prefill.isAvailable()).isFalse();
        assertThat(decode.health().isHealthy()).isTrue();
    }

    @Test
    void afterTheFirstRoundAHealthyWorkerTurnsUnhealthyOnlyAfterTheFailureThreshold() {
        rounds.start();
        probe.answerAll(ProbeResult.ok());

        for (int round = 1; round <= 3; round++) {
            assertThat(decode.health().isHealthy()).as("before round %d", round).isTrue();
            scheduler.tick();
            probe.answerAll(ProbeResult.failed("connection refused"));
        }

        assertThat(decode.health().isHealthy()).isFalse();
    }

    @Test
    void aCheckWithoutAnswerTurnsAWorkerUnhealthyAtOnceAndAbandonsTheRequestsWaitingOnIt() {
        rounds.start();
        probe.answerAll(ProbeResult.ok());
        scheduler.tick();

        probe.answer(2, ProbeResult.ok());
        probe.answer(3, ProbeResult.unanswered("GET http://d:30000/health: timed out after 5 s"));

        assertThat(decode.health().isHealthy()).as("one timeout, though the failure threshold is 3").isFalse();
        verify(unanswered).abandonOn(decode);
        verify(unanswered, never()).abandonOn(prefill);
    }

    @Test
    void aWorkerThatAnsweredARequestDuringTheCheckIsBusyNotGone() {
        rounds.start();
        probe.answerAll(ProbeResult.ok());
        now.set(10_000_000_000L);
        scheduler.tick();

        decode.heardFrom(now.get() + 2_000_000_000L); // a frame, two seconds into the check
        probe.answer(2, ProbeResult.ok());
        probe.answer(3, ProbeResult.unanswered("GET /health: timed out after 5 s"));

        assertThat(decode.health().isHealthy()).as("the failure threshold applies").isTrue();
        verify(unanswered, never()).abandonOn(any());
    }

    @Test
    void whenNoWorkerAnswersARoundTheFailureThresholdApplies() {
        rounds.start();
        probe.answerAll(ProbeResult.ok());
        scheduler.tick();

        probe.answerAll(ProbeResult.unanswered("timed out after 5 s"));

        assertThat(decode.health().isHealthy()).as("mini-lb itself may have stalled").isTrue();
        assertThat(prefill.health().isHealthy()).isTrue();
        for (int round = 2; round <= 3; round++) {
            scheduler.tick();
            probe.answerAll(ProbeResult.unanswered("timed out after 5 s"));
        }
        assertThat(decode.health().isHealthy()).isFalse();
    }

    @Test
    void aRefusedCheckAbandonsNothingUntilTheWorkerTurnsUnhealthy() {
        rounds.start();
        probe.answerAll(ProbeResult.ok());
        scheduler.tick();
        probe.answerAll(ProbeResult.failed("connection refused"));

        verify(unanswered, never()).abandonOn(any());
    }

    @Test
    void anUnhealthyWorkerComesBackAfterTheSuccessThreshold() {
        rounds.start();
        probe.answerAll(ProbeResult.failed("connection refused"));
        assertThat(decode.health().isHealthy()).isFalse();

        scheduler.tick();
        probe.answerAll(ProbeResult.ok());
        assertThat(decode.health().isHealthy()).isFalse();
        scheduler.tick();
        probe.answerAll(ProbeResult.ok());

        assertThat(decode.health().isHealthy()).isTrue();
    }

    @Test
    void aTickWhileTheRoundIsStillRunningIsSkipped() {
        CompletableFuture<Void> first = rounds.start();

        scheduler.tick();
        scheduler.tick();

        assertThat(probe.checked()).hasSize(2);
        probe.answerAll(ProbeResult.ok());
        assertThat(first).isDone();
        scheduler.tick();
        assertThat(probe.checked()).hasSize(4);
    }

    @Test
    void aDrainingWorkerIsNotChecked() {
        decode.tryStart();
        registry.remove(decode.id());

        rounds.start();

        assertThat(probe.checked()).containsExactly(prefill.url());
    }

    @Test
    void aProbeThatFailsCountsAsAFailedCheck() {
        CompletableFuture<Void> first = rounds.start();

        probe.pending.get(0).completeExceptionally(new IllegalStateException("bug"));
        probe.answer(1, ProbeResult.ok());

        assertThat(first).isDone();
        assertThat(prefill.health().isHealthy()).isFalse();
    }

    @Test
    void closingStopsTheScheduler() {
        rounds.start();

        rounds.close();

        assertThat(scheduler.closed).isTrue();
    }

    /** Records each check and completes it when the test answers. */
    private static final class FakeProbe implements WorkerProbe {
        final List<Worker> workers = new ArrayList<>();
        final List<CompletableFuture<ProbeResult>> pending = new ArrayList<>();

        @Override
        public CompletableFuture<ProbeResult> check(Worker worker) {
            var result = new CompletableFuture<ProbeResult>();
            workers.add(worker);
            pending.add(result);
            return result;
        }

        List<String> checked() {
            return workers.stream().map(Worker::url).toList();
        }

        void answer(int index, ProbeResult result) {
            pending.get(index).complete(result);
        }

        void answerAll(ProbeResult result) {
            pending.forEach(future -> future.complete(result));
        }
    }

    /** Runs the task when the test says time has come. */
    private static final class FakeScheduler implements RoundScheduler {
        Runnable task;
        Duration period;
        boolean closed;

        @Override
        public void repeat(Runnable task, Duration period) {
            this.task = task;
            this.period = period;
        }

        void tick() {
            task.run();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
