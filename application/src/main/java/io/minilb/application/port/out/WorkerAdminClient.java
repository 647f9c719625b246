package io.minilb.application.port.out;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.RequestContext;
import java.util.concurrent.CompletableFuture;

/** Sends admin calls to one backend server. The future always completes normally. */
public interface WorkerAdminClient {

    CompletableFuture<WorkerReply> send(String workerUrl, AdminRequest request);

    /** The call made for a client's request, with its id and forwarded headers. */
    default CompletableFuture<WorkerReply> send(String workerUrl, AdminRequest request, RequestContext context) {
        return send(workerUrl, request);
    }
}
