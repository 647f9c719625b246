package io.minilb.application.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.WorkerOrigin;
import io.minilb.domain.worker.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterAdminTest {

    private final WorkerRegistry workers = new WorkerRegistry(
            new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM);
    private final List<String> asked = new CopyOnWriteArrayList<>();

    ClusterAdminTest() {
        workers.addPrefill(PrefillWorker.of("http://p1:1", 8998), WorkerOrigin.CONFIGURATION, true);
        workers.addPrefill(PrefillWorker.of("http://p2:1", 8998), WorkerOrigin.CONFIGURATION, false);
        workers.addDecode(new DecodeWorker("http://d1:1"), WorkerOrigin.CONFIGURATION, true).circuit().recordFailure();
    }

    @Test
    void askAllGathersEveryServersReplyEvenOfUnavailableOnesAndNamesTheFailures() {
        var admin = new ClusterAdmin(workers, client(Map.of("http://p2:1", 503)));

        ClusterReplies replies = admin.askAll(AdminRequest.FLUSH_CACHE).join();

        assertThat(asked).containsExactlyInAnyOrder("POST http://p1:1/flush_cache", "POST http://p2:1/flush_cache",
                "POST http://d1:1/flush_cache");
        assertThat(replies.prefills()).extracting(WorkerReply::workerUrl).containsExactly("http://p1:1", "http://p2:1");
        assertThat(replies.allSucceeded()).isFalse();
        assertThat(replies.failed()).singleElement()
                .satisfies(reply -> assertThat(reply.problem()).isEqualTo("HTTP 503"));
    }

    @Test
    void askAnyPrefillFallsBackToTheNextPrefill() {
        var admin = new ClusterAdmin(workers, client(Map.of("http://p1:1", 0)));

        WorkerReply reply = admin.askAnyPrefill(AdminRequest.MODEL_INFO).join();

        assertThat(reply.workerUrl()).isEqualTo("http://p2:1");
        assertThat(reply.succeeded()).isTrue();
        assertThat(asked).containsExactly("GET http://p1:1/get_model_info", "GET http://p2:1/get_model_info");
    }

    @Test
    void askAnyPrefillReturnsTheLastFailureWhenNoneAnswers() {
        var admin = new ClusterAdmin(workers, client(Map.of("http://p1:1", 500, "http://p2:1", 0)));

        WorkerReply reply = admin.askAnyPrefill(AdminRequest.MODELS).join();

        assertThat(reply.workerUrl()).isEqualTo("http://p2:1");
        assertThat(reply.problem()).isEqualTo("connection refused");
    }

    @Test
    void askAnyPrefillWithoutPrefillsSaysSo() {
        workers.prefills().forEach(prefill -> workers.remove(prefill.id()));
        var admin = new ClusterAdmin(workers, client(Map.of()));

        WorkerReply reply = admin.askAnyPrefill(AdminRequest.MODELS).join();

        assertThat(reply.succeeded()).isFalse();
        assertThat(reply.problem()).isEqualTo("no prefill server is registered");
        assertThat(asked).isEmpty();
    }

    @Test
    void concurrentHealthGenerateCallsShareOneFanOutAndTheNextCallStartsAFreshOne() {
        List<CompletableFuture<WorkerReply>> pending = new CopyOnWriteArrayList<>();
        var admin = new ClusterAdmin(workers, (url, request) -> {
            asked.add(url);
            var reply = new CompletableFuture<WorkerReply>();
            pending.add(reply);
            return reply;
        });

        List<CompletableFuture<ClusterReplies>> callers = IntStream.range(0, 100)
                .mapToObj(i -> admin.askAll(AdminRequest.HEALTH_GENERATE)).toList();
        callers.get(0).cancel(true);

        assertThat(asked).hasSize(3);
        assertThat(callers.subList(1, 100)).noneMatch(CompletableFuture::isDone);
        pending.forEach(reply -> reply.complete(WorkerReply.answered("u", 200, "text/plain", new byte[0])));
        assertThat(callers.subList(1, 100)).allSatisfy(caller -> assertThat(caller.join().allSucceeded()).isTrue());

        admin.askAll(AdminRequest.HEALTH_GENERATE);
        assertThat(asked).as("a completed fan-out is not reused").hasSize(6);
    }

    @Test
    void flushCacheIsNeverShared() {
        var admin = new ClusterAdmin(workers, (url, request) -> {
            asked.add(url);
            return new CompletableFuture<>();
        });

        admin.askAll(AdminRequest.FLUSH_CACHE);
        admin.askAll(AdminRequest.FLUSH_CACHE);

        assertThat(asked).hasSize(6);
    }

    @Test
    void aSharedFanOutThatFailsToStartEndsItsCallersAndLetsTheNextOneTry() {
        var admin = new ClusterAdmin(workers, (url, request) -> {
            throw new IllegalStateException("client stopped");
        });

        assertThat(admin.askAll(AdminRequest.HEALTH_GENERATE)).isCompletedExceptionally();
        assertThat(admin.askAll(AdminRequest.HEALTH_GENERATE)).isCompletedExceptionally();
    }

    /** Answers 200, or the given status; 0 stands for an unreachable server. */
    private WorkerAdminClient client(Map<String, Integer> statuses) {
        return (url, request) -> {
            asked.add(request.method() + " " + url + request.path());
            int status = statuses.getOrDefault(url, 200);
            return CompletableFuture.completedFuture(status == 0
                    ? WorkerReply.unreachable(url, "connection refused")
                    : WorkerReply.answered(url, status, "application/json", "{}".getBytes()));
        };
    }
}
