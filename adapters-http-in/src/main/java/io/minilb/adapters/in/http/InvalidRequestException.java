package io.minilb.adapters.in.http;

/** A request body mini-lb refuses with 400 before any backend sees it; the message is shown to the client. */
final class InvalidRequestException extends Exception {

    InvalidRequestException(String message) {
        super(message);
    }
}
