package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseFramesTest {

    @ParameterizedTest
    @ValueSource(strings = {"data: [DONE]\n\n", "data:[DONE]\n\n", "data: [DONE]\r\n\r\n"})
    void recognisesTheEndMarkerFrame(String frame) {
        assertThat(SseFrames.isDone(bytes(frame))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "data: {\"text\":\"[DONE]\"}\n\n",
        "data: [DONE] and more\n\n",
        "data: x[DONE]\n\n",
        ": [DONE]\n\n",
        "data: \n\n",
        "data:\n\n"})
    void takesNothingElseForTheEndMarker(String frame) {
        assertThat(SseFrames.isDone(bytes(frame))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream"})
    void recognisesEventStreams(String contentType) {
        assertThat(SseFrames.isEventStream(contentType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "text/event", "text/event-streams"})
    void takesNothingElseForAnEventStream(String contentType) {
        assertThat(SseFrames.isEventStream(contentType)).isFalse();
        assertThat(SseFrames.isEventStream(null)).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
