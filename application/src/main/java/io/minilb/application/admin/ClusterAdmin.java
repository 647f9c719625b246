package io.minilb.application.admin;

import io.minilb.application.generation.RequestContext;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Fans admin calls out over the registered workers, whatever their health: an admin call is the operator's. */
public final class ClusterAdmin implements ClusterAdminUseCase {

    private final WorkerRegistry workers;
    private final WorkerAdminClient client;

    public ClusterAdmin(WorkerRegistry workers, WorkerAdminClient client) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<ClusterReplies> askAll(AdminRequest request) {
        return askAll(request, RequestContext.empty());
    }

    @Override
    public CompletableFuture<WorkerReply> askAnyPrefill(AdminRequest request) {
        return askAnyPrefill(request, RequestContext.empty());
    }

    @Override
    public CompletableFuture<ClusterReplies> askAll(AdminRequest request, RequestContext context) {
        var prefills = sendToEach(workers.prefills(), request, context);
        var decodes = sendToEach(workers.decodes(), request, context);
        return prefills.thenCombine(decodes, ClusterReplies::new);
    }

    @Override
    public CompletableFuture<WorkerReply> askAnyPrefill(AdminRequest request, RequestContext context) {
        List<? extends LiveWorker<?>> prefills = workers.prefills();
        if (prefills.isEmpty()) {
            return CompletableFuture.completedFuture(WorkerReply.unreachable("none", "no prefill server is registered"));
        }
        return askFrom(prefills, 0, request, context);
    }

    private CompletableFuture<WorkerReply> askFrom(List<? extends LiveWorker<?>> prefills, int index,
            AdminRequest request, RequestContext context) {
        return client.send(prefills.get(index).url(), request, context).thenCompose(reply ->
                reply.succeeded() || index + 1 == prefills.size()
                        ? CompletableFuture.completedFuture(reply)
                        : askFrom(prefills, index + 1, request, context));
    }

    private CompletableFuture<List<WorkerReply>> sendToEach(List<? extends LiveWorker<?>> targets,
            AdminRequest request, RequestContext context) {
        List<CompletableFuture<WorkerReply>> replies =
                targets.stream().map(worker -> client.send(worker.url(), request, context)).toList();
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(done -> replies.stream().map(CompletableFuture::join).toList());
    }
}
