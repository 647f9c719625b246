package io.minilb.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.http.Json;
import io.minilb.simulator.http.RequestBodies;
import io.minilb.simulator.http.Responses;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

/**
 * The test-facing admin API, a thin HTTP layer over {@link Simulator}'s Java API:
 * {@code GET /_sim/state}, {@code GET /_sim/faults}, {@code POST /_sim/faults} (a partial update, answered with
 * the faults now in force) and {@code POST /_sim/reset} (clears history, counters and faults; answered with the
 * state).
 */
public final class AdminEndpoints {
    private final Simulator simulator;

    public AdminEndpoints(Simulator simulator) {
        this.simulator = simulator;
    }

    void addTo(RoutingHandler routes) {
        routes.get("/_sim/state", exchange -> Responses.json(exchange, 200, StateJson.write(simulator.state())))
                .get("/_sim/faults", exchange -> Responses.json(exchange, 200, FaultsJson.write(simulator.faults())))
                .post("/_sim/faults", exchange -> RequestBodies.readJson(exchange, this::updateFaults))
                .post("/_sim/reset", exchange -> {
                    simulator.reset();
                    Responses.json(exchange, 200, StateJson.write(simulator.state()));
                });
    }

    private void updateFaults(HttpServerExchange exchange, JsonNode update) {
        try {
            Responses.json(exchange, 200, FaultsJson.write(simulator.updateFaults(faults -> FaultsJson.merge(faults, update))));
        } catch (IllegalArgumentException invalid) {
            Responses.json(exchange, 400, Json.object().put("detail", invalid.getMessage()));
        }
    }
}
