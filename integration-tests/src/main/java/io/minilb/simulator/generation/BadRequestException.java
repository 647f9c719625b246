package io.minilb.simulator.generation;

/** A request SGLang would reject with 400. */
public final class BadRequestException extends Exception {
    public BadRequestException(String message) {
        super(message);
    }
}
