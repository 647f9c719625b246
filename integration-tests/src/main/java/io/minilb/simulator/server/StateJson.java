package io.minilb.simulator.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.RecordedRequest;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.SimulatorState;
import io.minilb.simulator.StreamState;
import io.minilb.simulator.http.Json;

/** {@link SimulatorState} as {@code GET /_sim/state} reports it. */
final class StateJson {
    private StateJson() {
    }

    static ObjectNode write(SimulatorState state) {
        ObjectNode json = Json.object()
                .put("mode", state.mode().sglangName())
                .put("open_connections", state.openConnections())
                .put("in_flight_requests", state.inFlightRequests())
                .put("cancelled_requests", state.cancelledRequests());
        ArrayNode streams = json.putArray("streams");
        for (StreamState stream : state.streams()) {
            ObjectNode entry = streams.addObject();
            stream.rooms().forEach(entry.putArray("rooms")::add);
            entry.put("frames", stream.frames()).put("unwritten_bytes", stream.unwrittenBytes());
        }
        ObjectNode counts = json.putObject("request_counts");
        state.requestCounts().forEach(counts::put);
        ArrayNode recent = json.putArray("recent_requests");
        for (RecordedRequest request : state.recentRequests()) {
            recent.addObject().put("method", request.method()).put("path", request.path()).set("body", request.body());
        }
        ObjectNode rooms = json.putObject("rooms");
        for (RoomEvent event : RoomEvent.values()) {
            ArrayNode ids = rooms.putArray(event.jsonName());
            state.rooms(event).forEach(ids::add);
        }
        json.set("faults", FaultsJson.write(state.faults()));
        return json;
    }
}
