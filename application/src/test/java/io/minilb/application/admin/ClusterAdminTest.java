package io.minilb.application.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClusterAdminTest {

    private final Topology topology = new Topology(
            List.of(PrefillWorker.of("http://p1:1", 8998), PrefillWorker.of("http://p2:1", 8998)),
            List.of(new DecodeWorker("http://d1:1")));
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Test
    void askAllGathersEveryServersReplyAndNamesTheFailures() {
        var admin = new ClusterAdmin(topology, client(Map.of("http://p2:1", 503)));

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
        var admin = new ClusterAdmin(topology, client(Map.of("http://p1:1", 0)));

        WorkerReply reply = admin.askAnyPrefill(AdminRequest.MODEL_INFO).join();

        assertThat(reply.workerUrl()).isEqualTo("http://p2:1");
        assertThat(reply.succeeded()).isTrue();
        assertThat(asked).containsExactly("GET http://p1:1/get_model_info", "GET http://p2:1/get_model_info");
    }

    @Test
    void askAnyPrefillReturnsTheLastFailureWhenNoneAnswers() {
        var admin = new ClusterAdmin(topology, client(Map.of("http://p1:1", 500, "http://p2:1", 0)));

        WorkerReply reply = admin.askAnyPrefill(AdminRequest.MODELS).join();

        assertThat(reply.workerUrl()).isEqualTo("http://p2:1");
        assertThat(reply.problem()).isEqualTo("connection refused");
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
