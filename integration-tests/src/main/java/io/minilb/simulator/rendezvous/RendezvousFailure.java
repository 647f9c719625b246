package io.minilb.simulator.rendezvous;

import io.minilb.simulator.RoomEvent;

/** A rendezvous that did not happen, with how to record it: {@link RoomEvent#TIMED_OUT} or {@link RoomEvent#FAILED}. */
public final class RendezvousFailure extends RuntimeException {
    private final RoomEvent event;

    public RendezvousFailure(RoomEvent event, String message) {
        super(message, null, false, false);
        this.event = event;
    }

    public RoomEvent event() {
        return event;
    }
}
