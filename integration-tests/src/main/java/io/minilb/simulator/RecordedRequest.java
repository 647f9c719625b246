package io.minilb.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request with a body that a simulator received: its body as JSON (a JSON string node when the body was
 * not valid JSON).
 */
public record RecordedRequest(String method, String path, JsonNode body) {
}
