package io.minilb.application.admin;

import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Topology;
import io.minilb.domain.Worker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Fans admin calls out over the topology. */
public final class ClusterAdmin implements ClusterAdminUseCase {

    private final Topology topology;
    private final WorkerAdminClient client;

    public ClusterAdmin(Topology topology, WorkerAdminClient client) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<ClusterReplies> askAll(AdminRequest request) {
        var prefills = sendToEach(topology.prefills(), request);
        var decodes = sendToEach(topology.decodes(), request);
        return prefills.thenCombine(decodes, ClusterReplies::new);
    }

    @Override
    public CompletableFuture<WorkerReply> askAnyPrefill(AdminRequest request) {
        return askFrom(topology.prefills(), 0, request);
    }

    private CompletableFuture<WorkerReply> askFrom(List<PrefillWorker> prefills, int index, AdminRequest request) {
        return client.send(prefills.get(index).url(), request).thenCompose(reply ->
                reply.succeeded() || index + 1 == prefills.size()
                        ? CompletableFuture.completedFuture(reply)
                        : askFrom(prefills, index + 1, request));
    }

    private CompletableFuture<List<WorkerReply>> sendToEach(List<? extends Worker> workers, AdminRequest request) {
        List<CompletableFuture<WorkerReply>> replies =
                workers.stream().map(worker -> client.send(worker.url(), request)).toList();
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(done -> replies.stream().map(CompletableFuture::join).toList());
    }
}
