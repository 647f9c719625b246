package io.minilb.application.port.out;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.WorkerReply;
import java.util.concurrent.CompletableFuture;

/** Sends admin calls to one backend server. The future always completes normally. */
public interface WorkerAdminClient {

    CompletableFuture<WorkerReply> send(String workerUrl, AdminRequest request);
}
