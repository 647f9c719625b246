package io.minilb.application.port.in;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.admin.WorkerReply;
import java.util.concurrent.CompletableFuture;

/** Admin calls that span the cluster. */
public interface ClusterAdminUseCase {

    /** Sends the call to every prefill and decode server at once and gathers every answer. */
    CompletableFuture<ClusterReplies> askAll(AdminRequest request);

    /** Asks the prefills in turn until one answers 2xx; else returns the last failure. */
    CompletableFuture<WorkerReply> askAnyPrefill(AdminRequest request);
}
