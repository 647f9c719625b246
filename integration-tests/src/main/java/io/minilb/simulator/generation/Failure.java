package io.minilb.simulator.generation;

import io.minilb.simulator.RoomEvent;

/** Why an item could not be answered: recorded against its room and answered as an SGLang error. */
public record Failure(RoomEvent event, int status, String message) {

    public static Failure timedOut(String message) {
        return new Failure(RoomEvent.TIMED_OUT, 500, message);
    }

    public static Failure failed(String message) {
        return new Failure(RoomEvent.FAILED, 500, message);
    }
}
