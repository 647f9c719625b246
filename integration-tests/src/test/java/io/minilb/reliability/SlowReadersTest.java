package io.minilb.reliability;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.bootstrap.config.Limits;
import io.minilb.reliability.support.ChildJvm;
import io.minilb.reliability.support.MiniLbProcess;
import io.minilb.reliability.support.SlowClients;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.StreamState;
import io.minilb.simulator.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, "Back-pressure end to end": a streaming client that does not read stops mini-lb reading its decode once
 * a small per-stream buffer is full, so N such clients cost about N times that buffer, and the decode is slowed
 * down instead of generating into mini-lb's memory.
 *
 * <p>The scale: 50 clients that never read, each asking a decode that generates as fast as it can (0 ms per token)
 * for a million tokens, about 100 MB of frames per stream. Without back-pressure mini-lb queued them all: one such
 * client took its resident memory from 150 to 515 MB, and 5 killed it at {@code -Xmx512m}. Here mini-lb runs at
 * {@code -Xmx256m -XX:+ExitOnOutOfMemoryError}: without the bound the first 2-3 streams alone would exhaust the heap.
 * With it, the heap left after a full collection may grow by at most 50 x (the stream buffer + the decode leg's
 * read window, each 64 KiB) plus a fixed slack: 30 MB, under a third of one unbounded stream and under 1% of the 50.
 */
class SlowReadersTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowReadersTest.class);
    private static final List<String> PROXY_JVM = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
    private static final int CLIENTS = 50;
    private static final int TOKENS = 1_000_000;
    private static final long KIB = 1024;
    private static final long MB = 1 << 20;
    /**
     * What a stalled stream may hold: what waits for its client, and what its decode leg read before pausing (its
     * read window, 64 KiB, see {@code BackendLeg} in adapters-http-out).
     */
    private static final long PER_STREAM_BYTES = Limits.DEFAULT_STREAM_BUFFER_BYTES + 64 * KIB;
    /**
     * The queued frames' own objects (each frame of about 150 bytes comes wrapped in a buffer and a queue node, which
     * nearly doubles what a buffer of them costs), the connections' IO buffers and per-request state, and what a full
     * collection does not give back at once (classes loaded, caches of the JIT and of the libraries). The whole growth
     * measured 13 MB, of which 6.25 MB are the buffers themselves: the slack allows more than three times the rest.
     */
    private static final long SLACK_BYTES = 24 * MB;
    private static final long HEAP_GROWTH_BOUND = CLIENTS * PER_STREAM_BYTES + SLACK_BYTES;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void fiftyClientsThatNeverReadCostAboutFiftyStreamBuffersAndSlowTheDecodeDown(@TempDir Path dir) {
        try (Simulator prefill = SimulatorConfig.prefill().start();
             Simulator decode = SimulatorConfig.decode().decodeMsPerToken(0).start();
             MiniLbProcess lb = MiniLbProcess.start(PROXY_JVM, prefill.url(), prefill.bootstrapPort(), decode.url(),
                     List.of(), dir.resolve("mini-lb.log"))) {
            ChildJvm jvm = lb.jvm();
            assertOrdinaryRequestServed(lb);
            long heapBefore = jvm.heapUsedAfterFullGc();
            long residentBefore = jvm.residentBytes();

            URI server = URI.create(lb.url());
            try (SlowClients clients = SlowClients.nonReading(server, CLIENTS,
                    SlowClients.jsonPost(server, "/v1/chat/completions", endlessChat().toString()))) {
                List<StreamState> stalled = awaitStalledStreams(decode);

                assertThat(stalled).hasSize(CLIENTS);
                // Most of the frames generated sit in the kernel's socket buffers, which loopback grows to megabytes.
                assertThat(stalled).as("each stream generated a fraction of the million frames it was asked for")
                        .allMatch(stream -> stream.frames() > 0 && stream.frames() < TOKENS / 4);
                assertThat(decode.state().inFlightRequests()).isEqualTo(CLIENTS);
                long heapDuring = jvm.heapUsedAfterFullGc();
                long residentDuring = jvm.residentBytes();
                assertThat(heapDuring - heapBefore)
                        .as("heap growth with %d stalled streams (before %d MB, during %d MB)", CLIENTS,
                                heapBefore / MB, heapDuring / MB)
                        .isLessThanOrEqualTo(HEAP_GROWTH_BOUND);
                assertOrdinaryRequestServed(lb);
                LOG.info("figure: {} non-reading chat streams at {}: heap after full GC {} MB -> {} MB (bound +{} MB), "
                                + "RSS {} MB -> {} MB, decode frames per stream {}-{}",
                        CLIENTS, PROXY_JVM, heapBefore / MB, heapDuring / MB, HEAP_GROWTH_BOUND / MB,
                        residentBefore / MB, residentDuring / MB,
                        stalled.stream().mapToInt(StreamState::frames).min().orElseThrow(),
                        stalled.stream().mapToInt(StreamState::frames).max().orElseThrow());
            }

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(decode.state().streams()).isEmpty();
                assertThat(decode.state().inFlightRequests()).isZero();
            });
            assertThat(decode.state().cancelledRequests()).isEqualTo(CLIENTS);
            assertThat(jvm.isAlive()).as("mini-lb alive; output:\n%s", jvm.outputTail()).isTrue();
            LOG.info("figure: after the {} clients left: heap after full GC {} MB, RSS {} MB", CLIENTS,
                    jvm.heapUsedAfterFullGc() / MB, jvm.residentBytes() / MB);
        }
    }

    private static ObjectNode endlessChat() {
        ObjectNode body = object().put("model", "sim-model").put("stream", true).put("max_tokens", TOKENS);
        body.putArray("messages").addObject().put("role", "user").put("content", "write forever");
        return body;
    }

    /**
     * Waits until the decode has a stream for every client and none of them advanced over two successive samples
     * a second apart: every stream waits on its connection to mini-lb.
     */
    private static List<StreamState> awaitStalledStreams(Simulator decode) {
        AtomicReference<List<Integer>> previous = new AtomicReference<>(List.of());
        AtomicReference<List<Integer>> beforeThat = new AtomicReference<>(List.of());
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<StreamState> streams = decode.state().streams();
            List<Integer> frames = streams.stream()
                    .sorted((a, b) -> Long.compare(a.rooms().get(0), b.rooms().get(0)))
                    .map(StreamState::frames).toList();
            boolean stalled = streams.size() == CLIENTS && frames.equals(previous.get()) && frames.equals(beforeThat.get());
            beforeThat.set(previous.getAndSet(frames));
            return stalled;
        });
        return decode.state().streams();
    }

    private static void assertOrdinaryRequestServed(MiniLbProcess lb) {
        ObjectNode body = object().put("text", "an ordinary request");
        body.putObject("sampling_params").put("max_new_tokens", 4);
        HttpResponse<String> response = TestHttp.send(HttpRequest.newBuilder(URI.create(lb.url() + "/generate"))
                .timeout(PATIENCE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("meta_info").path("completion_tokens").asInt()).isEqualTo(4);
    }
}
