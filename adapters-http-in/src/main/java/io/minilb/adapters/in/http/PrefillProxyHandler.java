package io.minilb.adapters.in.http;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletableFuture;

/** A read-only call any prefill can answer ({@code /get_model_info}, {@code /v1/models}), passed through as is. */
final class PrefillProxyHandler extends ClusterAdminHandler<WorkerReply> {

    private final ClusterAdminUseCase admin;
    private final AdminRequest request;

    PrefillProxyHandler(ClusterAdminUseCase admin, AdminRequest request) {
        this.admin = admin;
        this.request = request;
    }

    @Override
    protected CompletableFuture<WorkerReply> ask(RequestContext context) {
        return admin.askAnyPrefill(request, context);
    }

    @Override
    protected void respond(HttpServerExchange exchange, WorkerReply reply) {
        if (reply.error() != null) {
            Responses.error(exchange, 502, ErrorBody.BACKEND_UNREACHABLE, "no prefill server answered "
                    + request.path() + "; the last one tried, " + reply.workerUrl() + ": " + reply.problem());
            return;
        }
        Responses.send(exchange, reply.status(), reply.contentType(), reply.body());
    }
}
