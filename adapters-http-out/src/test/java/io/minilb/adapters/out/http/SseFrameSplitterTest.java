package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFrameSplitterTest {

    @Test
    void joinsAFrameThatArrivesByteByByte() {
        String stream = "data: {\"text\":\"a\"}\n\ndata: {\"text\":\"b\"}\n\n";

        assertThat(split(stream.split("")))
                .containsExactly("data: {\"text\":\"a\"}\n\n", "data: {\"text\":\"b\"}\n\n");
    }

    @Test
    void handsOnEveryFrameOfAChunkAndKeepsTheRestForTheNext() {
        assertThat(split("data: 1\n\ndata: 2\n\ndata: 3\n", "\ndata: 4\n\n"))
                .containsExactly("data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n");
    }

    @Test
    void endsFramesAtBlankLinesWrittenWithCrlfOrMixedLineBreaks() {
        assertThat(split("data: 1\r\n\r\ndata: 2\r\n\ndata: 3\n\r\n"))
                .containsExactly("data: 1\r\n\r\n", "data: 2\r\n\n", "data: 3\n\r\n");
    }

    @Test
    void findsACrlfBlankLineSplitAcrossChunks() {
        assertThat(split("data: 1\r", "\n\r", "\n")).containsExactly("data: 1\r\n\r\n");
    }

    @Test
    void keepsTheLinesOfAFrameTogether() {
        assertThat(split("event: message\nid: 7\ndata: 1\n\n")).containsExactly("event: message\nid: 7\ndata: 1\n\n");
    }

    @Test
    void skipsBlankLinesBetweenFrames() {
        assertThat(split("\n\ndata: 1\n\n\r\n\n", "data: 2\n\n")).containsExactly("data: 1\n\n", "data: 2\n\n");
    }

    @Test
    void neverHandsOnAFrameWithoutItsBlankLine() {
        assertThat(split("data: 1\n\ndata: 2\n")).containsExactly("data: 1\n\n");
    }

    @Test
    void treatsDoneInsideATextAsText() {
        assertThat(split("data: {\"text\":\"[DONE]\"}\n\ndata: [DONE]\n\n"))
                .containsExactly("data: {\"text\":\"[DONE]\"}\n\n", "data: [DONE]\n\n");
    }

    private static List<String> split(String... chunks) {
        var splitter = new SseFrameSplitter();
        List<String> frames = new ArrayList<>();
        for (String chunk : chunks) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8));
            splitter.split(buffer, frame -> frames.add(new String(frame, StandardCharsets.UTF_8)));
            assertThat(buffer.hasRemaining()).as("chunk consumed").isFalse();
        }
        return frames;
    }
}
