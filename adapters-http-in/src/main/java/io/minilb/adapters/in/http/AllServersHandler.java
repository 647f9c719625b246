package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A call that must succeed on every server ({@code /health_generate}, {@code /flush_cache}): 200 when all did,
 * otherwise an error naming each server that failed and why.
 */
final class AllServersHandler extends ClusterAdminHandler<ClusterReplies> {

    private final ClusterAdminUseCase admin;
    private final AdminRequest request;
    private final byte[] successText;
    private final int failureStatus;
    private final String failureType;

    /** @param successText the plain-text body of a 200, or empty for none */
    AllServersHandler(
            ClusterAdminUseCase admin, AdminRequest request, String successText, int failureStatus, String failureType) {
        this.admin = admin;
        this.request = request;
        this.successText = successText.getBytes(StandardCharsets.UTF_8);
        this.failureStatus = failureStatus;
        this.failureType = failureType;
    }

    @Override
    protected CompletableFuture<ClusterReplies> ask(RequestContext context) {
        return admin.askAll(request, context);
    }

    @Override
    protected void respond(HttpServerExchange exchange, ClusterReplies replies) {
        if (replies.allSucceeded()) {
            Responses.send(exchange, 200, successText.length == 0 ? null : "text/plain; charset=utf-8", successText);
            return;
        }
        ObjectNode body = ErrorBody.of(failureType, replies.failed().size() + " of " + replies.all().size()
                + " servers failed " + request.path());
        ArrayNode failed = ErrorBody.details(body).putArray("failed");
        addFailures(failed, "prefill", replies.prefills());
        addFailures(failed, "decode", replies.decodes());
        Responses.json(exchange, failureStatus, body);
    }

    private static void addFailures(ArrayNode failed, String role, List<WorkerReply> replies) {
        replies.stream().filter(reply -> !reply.succeeded()).forEach(reply -> failed.addObject()
                .put("role", role)
                .put("url", reply.workerUrl())
                .put("problem", reply.problem()));
    }
}
