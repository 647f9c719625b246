package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** A complete HTTP answer and how long it took. */
record Reply(int status, String contentType, String body, Duration took) {

    JsonNode json() {
        return Json.parse(body);
    }

    @Override
    public String toString() {
        return status + " " + contentType + " after " + took.toMillis() + " ms: " + body;
    }
}
