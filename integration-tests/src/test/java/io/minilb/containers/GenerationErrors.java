package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads mini-lb's error shape, {@code {"error": {"message", "type", "side"}}}, from answers and streams. */
final class GenerationErrors {

    private GenerationErrors() {
    }

    /** The side ({@code prefill} or {@code decode}) a failed answer names; empty for a success. */
    static Optional<String> failedSide(Reply reply) {
        if (reply.status() < 400 || !reply.contentType().startsWith("application/json")) {
            return Optional.empty();
        }
        return side(reply.json());
    }

    /**
     * Whether a failed answer tells that {@code dead} failed: mini-lb's error names its side, or the surviving
     * server's own error, passed on by mini-lb, names it (a decode that cannot reach a dead prefill's bootstrap
     * server may answer first).
     */
    static boolean blames(Reply reply, PdServer dead) {
        return failedSide(reply).map(dead.side()::equals).orElse(false) || reply.body().contains(dead.alias());
    }

    /** The side named by the error frame that ended a stream; empty when the stream carried no error. */
    static Optional<String> failedSide(StreamOutcome stream) {
        return stream.jsonFrames().stream().map(GenerationErrors::side).flatMap(Optional::stream).findFirst();
    }

    private static Optional<String> side(JsonNode body) {
        return Optional.ofNullable(body.path("error").path("side").textValue());
    }
}
