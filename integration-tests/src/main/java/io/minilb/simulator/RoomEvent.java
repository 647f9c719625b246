package io.minilb.simulator;

import java.util.Locale;

/** What happened to a {@code bootstrap_room}, as recorded by a simulator for tests. */
public enum RoomEvent {
    /** A generation request carrying the room arrived. */
    SEEN,
    /** A decode claimed the room at this prefill's bootstrap server. */
    CLAIMED,
    /** The rendezvous succeeded and the request was answered (prefill: KV sent; decode: output generated). */
    COMPLETED,
    /** The other side never showed up within the bootstrap (decode) or waiting (prefill) timeout. */
    TIMED_OUT,
    /** The rendezvous failed for another reason (bootstrap server unreachable, duplicate room, KV mismatch...). */
    FAILED,
    /** The client closed the connection before the request was answered. */
    CANCELLED;

    /** The key used in the admin endpoint's JSON, e.g. {@code timed_out}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
