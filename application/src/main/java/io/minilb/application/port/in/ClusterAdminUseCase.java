package io.minilb.application.port.in;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.RequestContext;
import java.util.concurrent.CompletableFuture;

/** Admin calls that span the cluster. */
public interface ClusterAdminUseCase {

    /** Sends the call to every prefill and decode server at once and gathers every answer. */
    CompletableFuture<ClusterReplies> askAll(AdminRequest request);

    /** Asks the prefills in turn until one answers 2xx; else returns the last failure. */
    CompletableFuture<WorkerReply> askAnyPrefill(AdminRequest request);

    /** {@link #askAll(AdminRequest)} for a client's request, whose id and forwarded headers go to every server. */
    default CompletableFuture<ClusterReplies> askAll(AdminRequest request, RequestContext context) {
        return askAll(request);
    }

    /** {@link #askAnyPrefill(AdminRequest)} for a client's request, whose id and headers go to each server asked. */
    default CompletableFuture<WorkerReply> askAnyPrefill(AdminRequest request, RequestContext context) {
        return askAnyPrefill(request);
    }
}
