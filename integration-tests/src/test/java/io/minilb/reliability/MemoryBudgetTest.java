package io.minilb.reliability;

import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.bootstrap.MiniLb;
import io.minilb.reliability.support.InProcessCluster;
import io.minilb.simulator.Faults;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.TestHttp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, "The bytes held across all requests have a global budget; past it new requests get 503 overloaded, never
 * an OutOfMemoryError": a body that does not fit {@code --max-buffered-bytes} is refused before it reaches any server,
 * and every request gives its share back however it ends (answered, failed, refused, or left by its client), so the
 * budget never shrinks.
 *
 * <p>The scale: the budget is cut to what one request of 256 KiB needs (mini-lb reserves 8 bytes per body byte for
 * its JSON tree and the two renderings it sends), so that a request the budget can serve alone is refused as soon as
 * anything is held besides it. Without a budget, bodies are bounded only by the payload limit (256 MB each, costing
 * up to 8 times that while served): a handful of concurrent ones exhausted any heap. And a single reservation not
 * given back by the storm of 150 requests below (each the size of the budget) would leave the same request refused
 * for good at the end.
 */
class MemoryBudgetTest {
    /** Budget bytes reserved per request body byte (see {@code BodyReservation} in adapters-http-in). */
    private static final int HELD_PER_BODY_BYTE = 8;
    private static final int BODY_BYTES = 256 * 1024;
    /** Room for the answers the request holds besides its body (the decode's, whole), a few hundred bytes. */
    private static final long HEADROOM_BYTES = 64 * 1024;
    private static final long BUDGET_BYTES = (long) HELD_PER_BODY_BYTE * BODY_BYTES + HEADROOM_BYTES;
    private static final int STORM = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
    private static final ExecutorService STORM_CLIENTS = Executors.newFixedThreadPool(STORM);

    private static InProcessCluster cluster;
    private static Simulator prefill;
    private static Simulator decode;
    private static MiniLb lb;

    @BeforeAll
    static void start() {
        cluster = InProcessCluster.start(config -> config.withLimits(config.limits().withMaxBufferedBytes(BUDGET_BYTES)));
        prefill = cluster.prefill();
        decode = cluster.decode().orElseThrow();
        lb = cluster.lb();
    }

    @AfterAll
    static void stop() {
        STORM_CLIENTS.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void reset() {
        prefill.reset();
        decode.reset();
    }

    @Test
    void aBodyBeyondTheBudgetIsRefusedWithoutReachingAnyServerAndASmallOneIsServed() {
        Answer refused = post(generate(2 * BODY_BYTES, false));

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().path("error").path("type").asText()).isEqualTo("overloaded");
        assertThat(refused.json().path("error").path("message").asText()).isNotBlank();
        assertThat(prefill.state().requestCount("/generate")).isZero();
        assertThat(decode.state().requestCount("/generate")).isZero();

        Answer small = post(generate(1024, false));
        assertThat(small.status()).as(small.body()).isEqualTo(200);
        assertThat(decode.state().requestCount("/generate")).isEqualTo(1);
    }

    @Test
    void aRequestTheBudgetServesAloneIsStillServedAfterAStormOfAnsweredFailedRefusedAndAbandonedOnes() throws Exception {
        ObjectNode alone = generate(BODY_BYTES, false);
        assertThat(post(alone).status()).isEqualTo(200);

        // Served or refused at the door: together they do not fit, so most are refused; the first always fits.
        storm(decode, faults -> faults, Set.of(200, 503), 200);
        // The decode's error is passed on; the prefill's is a 502 naming the prefill.
        storm(decode, faults -> faults.withErrorStatus(500), Set.of(500, 503), 500);
        storm(prefill, faults -> faults.withErrorStatus(500), Set.of(502, 503), 502);
        // Clients that leave while the decode has not answered, and while it streams.
        decode.updateFaults(faults -> faults.withHang(true));
        for (int i = 0; i < STORM; i++) {
            leaveOnceDecodeHasIt(generate(BODY_BYTES, false));
        }
        decode.updateFaults(faults -> faults.withHang(false).withSlowMsPerToken(20));
        for (int i = 0; i < STORM; i++) {
            leaveAfterFirstFrame(generate(BODY_BYTES, true));
        }
        decode.setFaults(Faults.NONE);
        awaitNothingInFlight();

        Answer again = post(alone);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("meta_info").path("completion_tokens").asInt()).isEqualTo(4);
    }

    /** A {@code /generate} body of exactly {@code bytes} bytes, its prompt padded to size. */
    private static ObjectNode generate(int bytes, boolean stream) {
        ObjectNode body = object().put("text", "");
        body.putObject("sampling_params").put("max_new_tokens", stream ? 1_000 : 4);
        if (stream) {
            body.put("stream", true);
        }
        return body.put("text", "a".repeat(bytes - body.toString().length()));
    }

    /** What mini-lb answered: its status and body. */
    private record Answer(int status, String body) {
        JsonNode json() {
            return TestHttp.json(body);
        }
    }

    /**
     * POSTs on a connection of its own with {@code Expect: 100-continue}, as clients of large bodies do: a body
     * refused before it is read is then never sent, and the refusal arrives whole instead of racing the reset that
     * closing a connection with unread bytes causes. (The JDK's client is not used for this: with
     * {@code expectContinue} it can wait forever on a final answer that comes instead of the 100.)
     */
    private static Answer post(ObjectNode body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", lb.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST /generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            if (status(head) == 100) {
                out.write(bytes);
                out.flush();
                head = readHead(in);
            }
            Matcher length = CONTENT_LENGTH.matcher(head);
            assertThat(length.find()).as("a Content-Length in %s", head).isTrue();
            return new Answer(status(head), new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<Answer> postAsync(ObjectNode body) {
        return CompletableFuture.supplyAsync(() -> post(body), STORM_CLIENTS);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            assertThat(b).as("closed before the end of the head: %s", head).isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    private static int status(String head) {
        return Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    /** {@value #STORM} requests of the budget's size at once, while {@code server} has the given faults. */
    private static void storm(Simulator server, UnaryOperator<Faults> faults, Set<Integer> allowed, int expected) {
        server.updateFaults(faults);
        List<CompletableFuture<Answer>> answers = IntStream.range(0, STORM)
                .mapToObj(i -> postAsync(generate(BODY_BYTES, false))).toList();
        List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(Answer::status).toList();
        server.setFaults(Faults.NONE);
        awaitNothingInFlight();
        assertThat(statuses).containsOnlyElementsOf(allowed).contains(expected);
    }

    private static void leaveOnceDecodeHasIt(ObjectNode body) throws IOException {
        long before = decode.state().requestCount("/generate");
        try (Socket client = TestHttp.rawPost(lb.port(), "/generate", body)) {
            await().atMost(TIMEOUT).until(() -> decode.state().requestCount("/generate") > before);
        }
        awaitNothingInFlight();
    }

    private static void leaveAfterFirstFrame(ObjectNode body) throws IOException {
        try (Socket client = TestHttp.rawPost(lb.port(), "/generate", body)) {
            readUntil(client.getInputStream(), "data: ");
        }
        awaitNothingInFlight();
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (read.indexOf(marker) < 0) {
            int n = in.read(buffer);
            assertThat(n).as("closed before '%s': %s", marker, read).isPositive();
            read.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    /** Each abandoned request is cancelled at both servers before the next starts. */
    private static void awaitNothingInFlight() {
        await().atMost(TIMEOUT).until(() -> prefill.state().inFlightRequests() == 0 && decode.state().inFlightRequests() == 0);
    }
}
