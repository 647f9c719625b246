package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a server-sent event stream ended: its status, content type, the payloads of its {@code data:} frames in
 * order, what broke it when the connection failed instead of closing cleanly, and when it ended.
 */
record StreamOutcome(int status, String contentType, List<String> frames, Optional<String> breakage, Instant endedAt) {

    static final String DONE = "[DONE]";

    boolean endedWithDone() {
        return !frames.isEmpty() && frames.get(frames.size() - 1).equals(DONE);
    }

    /** Every frame but {@code [DONE]} (matched as a whole frame: a generated text may contain it), parsed. */
    List<JsonNode> jsonFrames() {
        return frames.stream().filter(frame -> !frame.equals(DONE)).map(Json::parse).toList();
    }

    JsonNode lastJsonFrame() {
        List<JsonNode> json = jsonFrames();
        if (json.isEmpty()) {
            throw new AssertionError("no JSON frame in " + this);
        }
        return json.get(json.size() - 1);
    }
}
