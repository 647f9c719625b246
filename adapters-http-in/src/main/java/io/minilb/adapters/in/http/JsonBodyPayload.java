package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.Payload;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;

/**
 * The client's body as the tree parsed from it. Rendering sets the bootstrap fields on that tree in place (no copy)
 * and serialises it; each rendering overwrites the fields of the one before, and of the client.
 */
final class JsonBodyPayload implements Payload {

    private final ObjectNode body;

    JsonBodyPayload(ObjectNode body) {
        this.body = body;
    }

    @Override
    public byte[] renderWith(BootstrapAssignment assignment) {
        if (assignment.batch()) {
            setLists(assignment);
        } else {
            setScalars(assignment);
        }
        return Json.bytes(body);
    }

    private void setScalars(BootstrapAssignment assignment) {
        body.put("bootstrap_host", assignment.host());
        if (assignment.port().isPresent()) {
            body.put("bootstrap_port", assignment.port().getAsInt());
        } else {
            body.putNull("bootstrap_port");
        }
        body.put("bootstrap_room", assignment.rooms().get(0).value());
    }

    private void setLists(BootstrapAssignment assignment) {
        ArrayNode hosts = body.putArray("bootstrap_host");
        ArrayNode ports = body.putArray("bootstrap_port");
        ArrayNode rooms = body.putArray("bootstrap_room");
        for (BootstrapRoom room : assignment.rooms()) {
            hosts.add(assignment.host());
            if (assignment.port().isPresent()) {
                ports.add(assignment.port().getAsInt());
            } else {
                ports.addNull();
            }
            rooms.add(room.value());
        }
    }
}
