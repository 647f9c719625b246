package io.minilb.application.admin;

import io.minilb.application.generation.RequestContext;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.out.WorkerAdminClient;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fans admin calls out over the registered workers, whatever their health: an admin call is the operator's.
 *
 * <p>{@code /health_generate} makes every server generate, so callers arriving while a fan-out is in flight share
 * it instead of starting another: however many call at once, each server runs one health generation at a time.
 * The result is not kept once the fan-out completes (the next caller starts a new one), so no caller is told of a
 * health older than its own call.
 */
public final class ClusterAdmin implements ClusterAdminUseCase {

    private final WorkerRegistry workers;
    private final WorkerAdminClient client;
    private final AtomicReference<CompletableFuture<ClusterReplies>> healthGenerateInFlight = new AtomicReference<>();

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
        return request == AdminRequest.HEALTH_GENERATE ? sharedHealthGenerate() : fanOut(request, context);
    }

    /**
     * Shared by every caller while it runs, so it goes without any one caller's request id or headers (the worker
     * key, which the client adds to every call, still goes).
     */
    private CompletableFuture<ClusterReplies> sharedHealthGenerate() {
        while (true) {
            CompletableFuture<ClusterReplies> running = healthGenerateInFlight.get();
            if (running != null) {
                // A copy, so that a caller that cancels or completes its future leaves the others' alone.
                return running.copy();
            }
            var started = new CompletableFuture<ClusterReplies>();
            if (healthGenerateInFlight.compareAndSet(null, started)) {
                startFanOut(AdminRequest.HEALTH_GENERATE).whenComplete((replies, failure) -> {
                    healthGenerateInFlight.compareAndSet(started, null);
                    if (failure != null) {
                        started.completeExceptionally(failure);
                    } else {
                        started.complete(replies);
                    }
                });
                return started.copy();
            }
        }
    }

    /** Never throws: a shared fan-out that failed to start must still end, or its callers would wait forever. */
    private CompletableFuture<ClusterReplies> startFanOut(AdminRequest request) {
        try {
            return fanOut(request, RequestContext.empty());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<ClusterReplies> fanOut(AdminRequest request, RequestContext context) {
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
