package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /get_server_info}: every server's info, with the decode servers' {@code internal_states} gathered up
 * front as SGLang's own load balancer does. A server that cannot answer is reported in its list, not fatal.
 */
final class ServerInfoHandler extends ClusterAdminHandler<ClusterReplies> {

    private final ClusterAdminUseCase admin;

    ServerInfoHandler(ClusterAdminUseCase admin) {
        this.admin = admin;
    }

    @Override
    protected CompletableFuture<ClusterReplies> ask(RequestContext context) {
        return admin.askAll(AdminRequest.SERVER_INFO, context);
    }

    @Override
    protected void respond(HttpServerExchange exchange, ClusterReplies replies) {
        ObjectNode info = Json.MAPPER.createObjectNode();
        ArrayNode internalStates = info.putArray("internal_states");
        ArrayNode prefills = info.putArray("prefill");
        ArrayNode decodes = info.putArray("decode");
        replies.prefills().forEach(reply -> prefills.add(describe(reply)));
        for (WorkerReply reply : replies.decodes()) {
            JsonNode decode = describe(reply);
            decodes.add(decode);
            decode.path("internal_states").forEach(internalStates::add);
        }
        if (internalStates.isEmpty()) {
            // SGLang's benchmark scripts read internal_states[0] unconditionally.
            internalStates.addObject().put("last_gen_throughput", 0.0).putNull("avg_spec_accept_length");
        }
        Responses.json(exchange, 200, info);
    }

    private static JsonNode describe(WorkerReply reply) {
        if (!reply.succeeded()) {
            return unavailable(reply, reply.problem());
        }
        try {
            JsonNode info = Json.MAPPER.readTree(reply.body());
            if (info.isObject()) {
                return info;
            }
        } catch (IOException e) {
            // reported below like any other body that is not a JSON object
        }
        return unavailable(reply, "answered with something other than a JSON object");
    }

    private static ObjectNode unavailable(WorkerReply reply, String error) {
        return Json.MAPPER.createObjectNode().put("url", reply.workerUrl()).put("error", error);
    }
}
