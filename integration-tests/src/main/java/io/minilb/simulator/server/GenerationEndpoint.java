package io.minilb.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.Faults;
import io.minilb.simulator.generation.BadRequestException;
import io.minilb.simulator.generation.Endpoint;
import io.minilb.simulator.generation.Generation;
import io.minilb.simulator.generation.GenerationRequest;
import io.minilb.simulator.generation.GenerationRequestParser;
import io.minilb.simulator.generation.Leg;
import io.minilb.simulator.generation.SglangErrors;
import io.minilb.simulator.http.AsyncExchange;
import io.minilb.simulator.http.RequestBodies;
import io.minilb.simulator.http.Responses;
import io.minilb.simulator.state.FaultSwitch;
import io.minilb.simulator.state.SimulatorStats;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

/** {@code /generate}, {@code /v1/chat/completions} and {@code /v1/completions}: record, apply faults, validate, generate. */
public final class GenerationEndpoint {
    private final GenerationRequestParser parser;
    private final Leg leg;
    private final SimulatorStats stats;
    private final FaultSwitch faults;

    public GenerationEndpoint(GenerationRequestParser parser, Leg leg, SimulatorStats stats, FaultSwitch faults) {
        this.parser = parser;
        this.leg = leg;
        this.stats = stats;
        this.faults = faults;
    }

    void addTo(RoutingHandler routes) {
        for (Endpoint endpoint : Endpoint.values()) {
            routes.post(endpoint.path(), exchange -> RequestBodies.readJson(exchange,
                    (ex, body) -> handle(endpoint, ex, body)));
        }
    }

    private void handle(Endpoint endpoint, HttpServerExchange exchange, JsonNode body) {
        if (body != null) {
            stats.recordBody("POST", endpoint.path(), body);
        }
        Faults active = faults.current();
        if (active.errorStatus() != null) {
            int status = active.errorStatus();
            Responses.json(exchange, status, SglangErrors.body(status, "simulated failure (error_status fault)"));
            return;
        }
        GenerationRequest request;
        try {
            request = parser.parse(endpoint, body);
        } catch (BadRequestException invalid) {
            Responses.json(exchange, 400, SglangErrors.body(400, invalid.getMessage()));
            return;
        }
        Generation.start(AsyncExchange.begin(exchange, stats), request, active, leg, stats);
    }
}
