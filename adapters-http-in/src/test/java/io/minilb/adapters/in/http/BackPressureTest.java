package io.minilb.adapters.in.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stream client that stops reading pauses its generation instead of making mini-lb queue the whole answer. */
@Timeout(60)
class BackPressureTest {

    private static final int STREAM_BUFFER_BYTES = 16 * 1024;
    private static final int FRAMES = 20_000;
    private static final String PADDING = "x".repeat(1_000);
    /**
     * What may be pushed before the pause: the stream buffer plus what the kernel's socket buffers take on loopback
     * (a few MB at most). The whole answer is 20 MB: without back-pressure all of it would be queued.
     */
    private static final long PUSHED_BEFORE_PAUSE_AT_MOST = 8L << 20;

    private final FakeGenerations generations = new FakeGenerations();
    private final RunningServer server = new RunningServer(generations, mock(ClusterAdminUseCase.class),
            RunningServer.settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                    HttpServerSettings.DEFAULT_MAX_CONNECTIONS, STREAM_BUFFER_BYTES),
            new MemoryBudget(1 << 20));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientThatStopsReadingPausesTheDecodeAndGetsEveryFrameInOrderOnceItReads() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port(), 4 * 1024)) {
            client.send(RawHttpConnection.post("/generate", "{\"text\": \"hi\", \"stream\": true}"));
            FakeGenerations.Generation generation = generations.next();
            AtomicLong pushedBytes = new AtomicLong();
            Thread decode = new Thread(() -> decode(generation, pushedBytes));
            decode.start();

            // The kernel's buffers grow for a while, so the decode may be paused and resumed a few times before
            // the stream settles: paused, and nothing pushed for a while.
            long[] lastSeen = {-1};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long pushed = pushedBytes.get();
                boolean settled = generation.isPaused() && pushed == lastSeen[0];
                lastSeen[0] = pushed;
                return settled;
            });
            assertThat(pushedBytes.get()).isBetween((long) STREAM_BUFFER_BYTES, PUSHED_BEFORE_PAUSE_AT_MOST);

            // The client reads: the decode is resumed (else it would stay blocked) and every frame arrives in order.
            assertThat(client.readHead().status()).isEqualTo(200);
            StringBuilder body = new StringBuilder();
            for (String chunk = client.readChunk(); !chunk.isEmpty(); chunk = client.readChunk()) {
                body.append(chunk);
            }
            decode.join();
            assertThat(body.toString()).isEqualTo(expectedStream());
            assertThat(generation.isPaused()).isFalse();
        }
    }

    /** A decode that honours pause: it produces only while not paused, as the outbound side stops reading. */
    private static void decode(FakeGenerations.Generation generation, AtomicLong pushedBytes) {
        generation.observer.onStreamStart();
        for (int i = 0; i < FRAMES; i++) {
            while (generation.isPaused()) {
                LockSupport.parkNanos(1_000_000);
            }
            byte[] frame = frame(i);
            generation.observer.onFrame(frame);
            pushedBytes.addAndGet(frame.length);
        }
        generation.observer.onStreamEnd();
    }

    private static byte[] frame(int i) {
        return ("data: " + i + PADDING + "\n\n").getBytes(UTF_8);
    }

    private static String expectedStream() {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < FRAMES; i++) {
            expected.append(new String(frame(i), UTF_8));
        }
        return expected.toString();
    }
}
