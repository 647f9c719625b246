package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.stream.StreamSupport;

/** A simulator's admin API ({@code /_sim/*}) on its published HTTP port: what it received, and faults. */
final class SimulatorAdmin {

    private final HttpJsonClient client;

    SimulatorAdmin(URI baseUri) {
        client = new HttpJsonClient(() -> baseUri);
    }

    /** How many requests for {@code path} the server received, e.g. {@code /generate}. */
    long requestCount(String path) {
        return state().path("request_counts").path(path).asLong(0);
    }

    /** Bodies of the latest requests to {@code path} the server recorded, oldest first. */
    List<JsonNode> recentBodies(String path) {
        return StreamSupport.stream(state().path("recent_requests").spliterator(), false)
                .filter(request -> request.path("path").asText().equals(path))
                .map(request -> request.get("body"))
                .toList();
    }

    int inFlightRequests() {
        return state().path("in_flight_requests").asInt();
    }

    /** Changes only the named faults, e.g. {@code {"slow_ms_per_token": 20}}; {@code null} clears one. */
    void updateFaults(ObjectNode faults) {
        Reply reply = client.post("/_sim/faults", faults);
        if (reply.status() != 200) {
            throw new IllegalStateException("POST /_sim/faults " + faults + ": " + reply);
        }
    }

    private JsonNode state() {
        Reply reply = client.get("/_sim/state");
        if (reply.status() != 200) {
            throw new IllegalStateException("GET /_sim/state: " + reply);
        }
        return reply.json();
    }
}
