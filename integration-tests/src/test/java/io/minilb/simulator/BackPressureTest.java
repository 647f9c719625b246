package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.reliability.support.SlowClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A decode stops generating a stream whose client does not read, as SGLang does, so that it holds about one
 * socket buffer and a 64 KiB backlog per such client instead of the whole generation. The decode generates as fast
 * as it can (no per-token latency): without back-pressure it would finish the whole generation in memory.
 */
class BackPressureTest extends SharedPdPairTest {
    private static final int TOKENS = 50_000;
    private static final long BACKLOG_LIMIT = 64 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static ObjectNode chat(long room) {
        ObjectNode body = object().put("model", "sim-model").put("stream", true).put("max_tokens", TOKENS);
        body.putArray("messages").addObject().put("role", "user").put("content", "write forever");
        return pair.bootstrap(body, room);
    }

    /** Sends the request to the decode from a client that reads nothing yet, then lets the prefill send the KV. */
    private static Socket nonReadingStream(ObjectNode body) throws IOException {
        Socket client = new Socket();
        client.setReceiveBufferSize(SlowClients.RECEIVE_BUFFER);
        client.connect(new InetSocketAddress("127.0.0.1", pair.decode.port()));
        client.getOutputStream().write(SlowClients.jsonPost(URI.create(pair.decode.url()), "/v1/chat/completions", body.toString()));
        PdPair.join(TestHttp.post(pair.prefill.url() + "/v1/chat/completions", body));
        return client;
    }

    /** Waits until the frame count of the decode's streams is the same twice in a row, a second apart. */
    private static StreamState awaitStalledStream() {
        AtomicLong previous = new AtomicLong(-1);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long frames = pair.decode.state().streamFrames();
            return frames > 0 && frames == previous.getAndSet(frames);
        });
        assertThat(pair.decode.state().streams()).hasSize(1);
        return pair.decode.state().streams().get(0);
    }

    @Test
    void aClientThatStopsReadingStallsTheGenerationWhichResumesWhenItReadsAgain() throws Exception {
        long room = PdPair.newRoom();
        try (Socket client = nonReadingStream(chat(room))) {
            StreamState stalled = awaitStalledStream();

            assertThat(stalled.rooms()).containsExactly(room);
            assertThat(stalled.frames()).isBetween(1, TOKENS / 2);
            assertThat(stalled.unwrittenBytes()).isPositive().isLessThanOrEqualTo(BACKLOG_LIMIT + 4096); // plus one frame at most
            assertThat(pair.decode.state().inFlightRequests()).isEqualTo(1);
            JsonNode reported = TestHttp.json(TestHttp.get(pair.decode.url() + "/_sim/state")).path("streams").path(0);
            assertThat(reported.path("rooms").path(0).asLong()).isEqualTo(room);
            assertThat(reported.path("frames").asInt()).isEqualTo(stalled.frames());

            readUntilDone(client.getInputStream());
        }
        await().atMost(PATIENCE).until(() -> pair.decode.state().rooms(RoomEvent.COMPLETED).contains(room));
        assertThat(pair.decode.state().streams()).isEmpty();
        assertThat(pair.decode.state().cancelledRequests()).isZero();
    }

    @Test
    void aStalledStreamIsCancelledWhenItsClientLeaves() {
        long room = PdPair.newRoom();
        ObjectNode body = chat(room);
        URI decode = URI.create(pair.decode.url());
        try (SlowClients client = SlowClients.nonReading(decode, 1, SlowClients.jsonPost(decode, "/v1/chat/completions", body.toString()))) {
            PdPair.join(TestHttp.post(pair.prefill.url() + "/v1/chat/completions", body));
            awaitStalledStream();
        }
        await().atMost(PATIENCE).until(() -> pair.decode.state().cancelledRequests() == 1);
        assertThat(pair.decode.state().streams()).isEmpty();
        assertThat(pair.decode.state().rooms(RoomEvent.CANCELLED)).containsExactly(room);
    }

    /** Reads the raw (chunked) stream until its {@code [DONE]} frame, keeping only the tail to look for it. */
    private static void readUntilDone(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        String tail = "";
        while (!tail.contains("data: [DONE]")) {
            int read = in.read(buffer);
            assertThat(read).as("the stream ended before [DONE]").isPositive();
            tail = (tail + new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            tail = tail.substring(Math.max(0, tail.length() - 64));
        }
    }
}
