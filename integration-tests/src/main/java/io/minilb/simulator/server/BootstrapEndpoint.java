package io.minilb.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.generation.SglangErrors;
import io.minilb.simulator.http.AsyncExchange;
import io.minilb.simulator.http.Json;
import io.minilb.simulator.http.RequestBodies;
import io.minilb.simulator.http.Responses;
import io.minilb.simulator.rendezvous.KvTransfer;
import io.minilb.simulator.rendezvous.RendezvousFailure;
import io.minilb.simulator.rendezvous.Room;
import io.minilb.simulator.rendezvous.RoomRegistry;
import io.minilb.simulator.state.SimulatorStats;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.PathTemplateMatch;
import java.util.ArrayDeque;

/**
 * A prefill's bootstrap server: {@code GET /health} answers 200 {@code OK} as SGLang's bootstrap server does (a
 * balancer checks it to know that decodes can reach the prefill's KV); {@code POST /_sim/rooms/{room}/claim?timeout_ms=N} claims a room for a decode and
 * long-polls until the prefill holding it sends the KV (200 {@code {"room", "prompt_tokens", "prompt_hash"}}),
 * gives up (500), or nothing arrives within the timeout (504). A room already claimed is a 409.
 */
public final class BootstrapEndpoint {
    private final RoomRegistry rooms;
    private final SimulatorStats stats;

    public BootstrapEndpoint(RoomRegistry rooms, SimulatorStats stats) {
        this.rooms = rooms;
        this.stats = stats;
    }

    void addTo(RoutingHandler routes) {
        routes.get("/health", exchange -> Responses.text(exchange, 200, "OK"));
        routes.post("/_sim/rooms/{room}/claim", exchange -> RequestBodies.readJson(exchange, (ex, ignored) -> claim(ex)));
    }

    private void claim(HttpServerExchange exchange) {
        long id;
        long timeoutMillis;
        try {
            id = Long.parseLong(exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("room"));
            timeoutMillis = Long.parseLong(exchange.getQueryParameters().getOrDefault("timeout_ms", new ArrayDeque<>()).peekFirst());
        } catch (NumberFormatException invalid) {
            Responses.json(exchange, 400, SglangErrors.body(400, "expected /_sim/rooms/{room}/claim?timeout_ms=N"));
            return;
        }
        Room room;
        try {
            room = rooms.claim(id);
        } catch (RendezvousFailure duplicate) {
            Responses.json(exchange, 409, SglangErrors.body(409, duplicate.getMessage()));
            return;
        }
        stats.room(RoomEvent.CLAIMED, id);
        AsyncExchange claim = AsyncExchange.begin(exchange, AsyncExchange.Tracker.NONE);
        claim.onFinish(() -> rooms.release(room));
        claim.schedule(timeoutMillis, () -> claim.respond(504, SglangErrors.body(504,
                "no prefill request for bootstrap_room " + id + " arrived within " + timeoutMillis + " ms")));
        room.kv().whenComplete((kv, failure) -> claim.execute(() -> {
            if (failure == null) {
                claim.respond(200, kvJson(kv));
            } else {
                claim.respond(500, SglangErrors.body(500, failure.getMessage()));
            }
        }));
    }

    private static ObjectNode kvJson(KvTransfer kv) {
        return Json.object().put("room", kv.room()).put("prompt_tokens", kv.promptTokens()).put("prompt_hash", kv.promptHash())
                .put("cached_tokens", kv.cachedTokens());
    }
}
