package io.minilb.domain;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The KV-transfer rendezvous both legs of a request receive: the prefill's bootstrap host and
 * port, and one room per item. A batch carries these as lists, a single request as scalars.
 */
public record BootstrapAssignment(String host, OptionalInt port, List<BootstrapRoom> rooms, boolean batch) {

    public BootstrapAssignment {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        rooms = List.copyOf(rooms);
        if (rooms.isEmpty()) {
            throw new IllegalArgumentException("an assignment needs at least one room");
        }
        if (!batch && rooms.size() != 1) {
            throw new IllegalArgumentException("a single request gets exactly one room, got " + rooms.size());
        }
    }

    public static BootstrapAssignment single(PrefillWorker prefill, BootstrapRoom room) {
        return new BootstrapAssignment(prefill.bootstrapHost(), prefill.bootstrapPort(), List.of(room), false);
    }

    public static BootstrapAssignment batch(PrefillWorker prefill, List<BootstrapRoom> rooms) {
        return new BootstrapAssignment(prefill.bootstrapHost(), prefill.bootstrapPort(), rooms, true);
    }
}
