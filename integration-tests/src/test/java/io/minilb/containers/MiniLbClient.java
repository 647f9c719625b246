package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.function.Supplier;

/** A client of mini-lb's HTTP API, from the test JVM through the container's published port. */
final class MiniLbClient extends HttpJsonClient {

    MiniLbClient(Supplier<URI> baseUri) {
        super(baseUri);
    }

    /** Starts a streaming generation ({@code "stream": true} is the caller's) and reads it in the background. */
    EventStream stream(String path, JsonNode body) {
        return EventStream.open(http, jsonPost(path, body).header("Accept", "text/event-stream").build());
    }
}
