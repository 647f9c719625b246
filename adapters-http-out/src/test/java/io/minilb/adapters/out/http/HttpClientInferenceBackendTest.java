package io.minilb.adapters.out.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.adapters.out.http.RecordingObserver.Failure;
import io.minilb.adapters.out.http.RecordingObserver.Response;
import io.minilb.adapters.out.http.RecordingObserver.StreamEnd;
import io.minilb.adapters.out.http.StubServer.Received;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Side;
import io.minilb.application.limits.MemoryBudget;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class HttpClientInferenceBackendTest extends PooledClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration NO_TIMEOUT_EXPECTED = Duration.ofSeconds(30);
    private static final Duration PROMPTLY = Duration.ofSeconds(1);
    private static final Duration EVENTUALLY = Duration.ofSeconds(5);
    private static final String JSON_TYPE = "application/json";


    private final AtomicInteger renders = new AtomicInteger();
    private final RecordingObserver observer = new RecordingObserver();

    // ---- both legs

    @Test
    void sendsOneRenderingOfTheBodyToBothServersAtOnceAndAnswersWithTheDecodes() throws Exception {
        var decodeReceived = new CountDownLatch(1);
        var prefillSawDecodeBeforeAnswering = new CompletableFuture<Boolean>();
        var prefill = stub(exchange -> {
            prefillSawDecodeBeforeAnswering.complete(decodeReceived.await(2, SECONDS));
            exchange.respond(200, JSON_TYPE, "{\"text\":\"from prefill\"}");
        });
        var decode = stub(exchange -> {
            decodeReceived.countDown();
            exchange.respond(201, JSON_TYPE, "{\"text\":\"from decode\"}");
        });

        generate(prefill, decode, request(Endpoint.CHAT_COMPLETIONS, false, false));

        assertThat(prefillSawDecodeBeforeAnswering).succeedsWithin(EVENTUALLY).isEqualTo(true);
        Received toPrefill = prefill.nextRequest();
        Received toDecode = decode.nextRequest();
        assertThat(List.of(toPrefill, toDecode)).allSatisfy(received -> {
            assertThat(received.method()).isEqualTo("POST");
            assertThat(received.path()).isEqualTo("/v1/chat/completions");
            assertThat(received.contentType()).isEqualTo(JSON_TYPE);
            assertThat(received.bodyText()).isEqualTo("{\"stream\":false,\"bootstrap_room\":42}");
        });
        assertThat(renders).hasValue(1);
        assertThat(outcome()).isInstanceOfSatisfying(Response.class, response -> {
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.contentType()).isEqualTo(JSON_TYPE);
            assertThat(response.bodyText()).isEqualTo("{\"text\":\"from decode\"}");
        });
    }

    @Test
    void streamsEachFrameAsTheDecodeSendsIt() throws Exception {
        var firstFrameSeenBeforeTheSecondWasSent = new CompletableFuture<Boolean>();
        var prefill = stub(exchange -> exchange.respond(200, "text/event-stream", frame("prefill") + "data: [DONE]\n\n"));
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send(frame("one"));
            firstFrameSeenBeforeTheSecondWasSent.complete(eventually(() -> observer.frames.size() == 1));
            exchange.send("data: {\"text\":\"say [DO");
            exchange.send("NE]\"}\n\n" + frame("three"));
            exchange.send("data: [DONE]\n\n");
        });

        generate(prefill, decode, request(Endpoint.GENERATE, true, false));

        assertThat(outcome()).isInstanceOf(StreamEnd.class);
        assertThat(firstFrameSeenBeforeTheSecondWasSent).isCompletedWithValue(true);
        assertThat(observer.events).containsExactly(
                "stream start",
                "frame " + frame("one"),
                "frame data: {\"text\":\"say [DONE]\"}\n\n",
                "frame " + frame("three"),
                "frame data: [DONE]\n\n",
                "stream end");
    }

    @Test
    void prependsThePrefillsInputLogprobsToTheDecodesAnswer() throws Exception {
        var decodeAnswered = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            decodeAnswered.await(2, SECONDS);
            exchange.respond(200, JSON_TYPE, """
                    {"text": "", "meta_info": {
                      "input_token_logprobs": [[-0.5, 1, null], [-0.25, 2, null]],
                      "input_top_logprobs": [null, null]}}""");
        });
        var decode = stub(exchange -> {
            exchange.respond(200, JSON_TYPE, """
                    {"text": "out", "meta_info": {
                      "input_token_logprobs": [[-1.0, 3, null]],
                      "output_token_logprobs": [[-0.1, 4, null]]}}""");
            decodeAnswered.countDown();
        });

        generate(prefill, decode, request(Endpoint.GENERATE, false, true));

        assertThat(outcome()).isInstanceOfSatisfying(Response.class, response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo(JSON_TYPE);
            assertThat(json(response.bodyText())).isEqualTo(json("""
                    {"text": "out", "meta_info": {
                      "input_token_logprobs": [[-0.5, 1, null], [-0.25, 2, null], [-1.0, 3, null]],
                      "output_token_logprobs": [[-0.1, 4, null]],
                      "input_top_logprobs": [null, null]}}"""));
        });
    }

    @Test
    void holdsStreamedFramesUntilThePrefillsLogprobsArriveThenMergesThem() throws Exception {
        var decodeSentItsFrames = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            decodeSentItsFrames.await(2, SECONDS);
            exchange.respond(200, "text/event-stream", """
                    data: {"index": 0, "meta_info": {"input_token_logprobs": [[-0.5, 1, null]]}}

                    data: [DONE]

                    """);
        });
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send("data: {\"index\": 0, \"text\": \"a\", \"meta_info\": {\"input_token_logprobs\": []}}\n\n");
            exchange.send("data: [DONE]\n\n");
            decodeSentItsFrames.countDown();
        });

        generate(prefill, decode, request(Endpoint.GENERATE, true, true));

        assertThat(outcome()).isInstanceOf(StreamEnd.class);
        assertThat(observer.frames).hasSize(2);
        assertThat(observer.frames.get(0)).startsWith("data: ").endsWith("\n\n");
        assertThat(json(observer.frames.get(0).substring(6))).isEqualTo(json(
                "{\"index\": 0, \"text\": \"a\", \"meta_info\": {\"input_token_logprobs\": [[-0.5, 1, null]]}}"));
        assertThat(observer.frames.get(1)).isEqualTo("data: [DONE]\n\n");
    }

    // ---- failures

    @Test
    void aRefusedPrefillFailsAtOnce() throws Exception {
        String prefillUrl = StubServer.unusedUrl();
        var decode = stub(StubServer.Exchange::hangUntilClosed);

        long started = System.nanoTime();
        generate(prefillUrl, decode.url(), request(Endpoint.GENERATE, false, false), NO_TIMEOUT_EXPECTED);

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.PREFILL);
        assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(failure.message()).isEqualTo("prefill: connection refused");
        assertThat(Duration.ofNanos(observer.outcomeNanoTime - started)).isLessThan(PROMPTLY);
    }

    @Test
    void aPrefillErrorStatusFailsAtOnceAndCancelsTheDecode() throws Exception {
        var decodeReceived = new CountDownLatch(1);
        var prefillAnsweredAt = new CompletableFuture<Long>();
        var prefill = stub(exchange -> {
            decodeReceived.await(2, SECONDS);
            exchange.respond(500, JSON_TYPE, "{\"error\": \"prefill exploded\"}");
            prefillAnsweredAt.complete(System.nanoTime());
        });
        var decode = stub(exchange -> {
            decodeReceived.countDown();
            exchange.hangUntilClosed();
        });

        generate(prefill, decode, request(Endpoint.GENERATE, false, false));

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.PREFILL);
        assertThat(failure.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(failure.message())
                .isEqualTo("prefill: answered HTTP 500");
        assertThat(Duration.ofNanos(observer.outcomeNanoTime - prefillAnsweredAt.get())).isLessThan(PROMPTLY);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    @Test
    void aDecodeErrorStatusIsTheAnswerAndCancelsThePrefill() throws Exception {
        var prefillReceived = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            prefillReceived.countDown();
            exchange.hangUntilClosed();
        });
        var decode = stub(exchange -> {
            prefillReceived.await(2, SECONDS);
            exchange.respond(503, "text/plain", "decode overloaded");
        });

        generate(prefill, decode, request(Endpoint.COMPLETIONS, false, false));

        assertThat(outcome()).isInstanceOfSatisfying(Response.class, response -> {
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.contentType()).isEqualTo("text/plain");
            assertThat(response.bodyText()).isEqualTo("decode overloaded");
        });
        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    @Test
    void aDecodeThatHangsPastTheTimeoutIsReportedAndCancelled() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, JSON_TYPE, "{}"));
        var decode = stub(StubServer.Exchange::hangUntilClosed);
        Duration timeout = Duration.ofMillis(500);

        long started = System.nanoTime();
        generate(prefill.url(), decode.url(), request(Endpoint.GENERATE, false, false), timeout);

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.DECODE);
        assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(failure.message()).isEqualTo("decode: timed out after 500 ms");
        assertThat(Duration.ofNanos(observer.outcomeNanoTime - started))
                .isGreaterThanOrEqualTo(timeout)
                .isLessThan(timeout.plus(PROMPTLY));
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    @Test
    void aPrefillThatHangsWhileItsLogprobsAreNeededTimesOutOnThePrefill() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(exchange -> exchange.respond(200, JSON_TYPE, "{\"meta_info\": {}}"));

        generate(prefill.url(), decode.url(), request(Endpoint.GENERATE, false, true), Duration.ofMillis(300));

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.PREFILL);
        assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    /** The decode has sent its stream's head and waits for the KV the frozen prefill never sends. */
    @Test
    void aFrozenPrefillIsTheOneThatTimedOutThoughTheDecodeIsWaitingToo() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.hangUntilClosed();
        });

        generate(prefill.url(), decode.url(), request(Endpoint.GENERATE, true, false), Duration.ofMillis(500));

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.PREFILL);
        assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(failure.kind().httpStatus()).isEqualTo(504);
        assertThat(failure.message()).isEqualTo("prefill: timed out after 500 ms (the decode was waiting for its KV)");
        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    /** A frozen decode leaves its prefill waiting too: neither said anything, and the message says so. */
    @Test
    void whenNeitherServerAnsweredTheTimeoutSaysSo() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(StubServer.Exchange::hangUntilClosed);

        generate(prefill.url(), decode.url(), request(Endpoint.GENERATE, false, false), Duration.ofMillis(500));

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.DECODE);
        assertThat(failure.message()).isEqualTo("decode: timed out after 500 ms without an answer from either server");
    }

    @Test
    void aDecodeStreamCutShortFailsAfterTheFramesItDelivered() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "text/event-stream", "data: [DONE]\n\n"));
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send(frame("one"));
            eventually(() -> observer.frames.size() == 1);
            exchange.cutConnection();
        });

        generate(prefill, decode, request(Endpoint.GENERATE, true, false));

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.DECODE);
        assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(failure.message())
                .isEqualTo("decode: connection closed before the response was complete");
        assertThat(observer.events).containsExactly("stream start", "frame " + frame("one"), "failure UNREACHABLE");
    }

    /**
     * The head, the frames and the close all arrive in one read: httpcore5's chunk decoder meets the
     * end of stream in the same call that decoded the frames, and used to drop them with it.
     */
    @RepeatedTest(10)
    void everyFrameArrivingWithTheDecodesAbruptCloseIsDeliveredBeforeTheFailure() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "text/event-stream", "data: [DONE]\n\n"));
        try (var decode = RawHttpServer.start(out -> {
            out.write((RawHttpServer.EVENT_STREAM_HEAD + RawHttpServer.chunk(frame("one"))
                    + RawHttpServer.chunk(frame("two")) + RawHttpServer.chunk(frame("three")))
                    .getBytes(UTF_8));
            out.flush();
        })) {
            generate(prefill.url(), decode.url(), request(Endpoint.GENERATE, true, false), NO_TIMEOUT_EXPECTED);

            assertThat(failure().side()).isEqualTo(Side.DECODE);
            assertThat(observer.events).containsExactly("stream start", "frame " + frame("one"),
                    "frame " + frame("two"), "frame " + frame("three"), "failure UNREACHABLE");
        }
    }

    /** The same once the stream has started: the frames that come with the close are not lost either. */
    @Test
    void everyFrameSentJustBeforeTheDecodesAbruptCloseIsDeliveredBeforeTheFailure() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "text/event-stream", "data: [DONE]\n\n"));
        try (var decode = RawHttpServer.start(out -> {
            out.write((RawHttpServer.EVENT_STREAM_HEAD + RawHttpServer.chunk(frame("one"))).getBytes(UTF_8));
            out.flush();
            eventually(() -> observer.frames.size() == 1);
            // Several chunks, one of them split across the frames, then the close, in one segment.
            out.write((RawHttpServer.chunk(frame("two") + "data: {\"te") + RawHttpServer.chunk("xt\":\"three\"}\n\n")
                    + RawHttpServer.chunk(frame("four"))).getBytes(UTF_8));
            out.flush();
        })) {
            generate(prefill.url(), decode.url(), request(Endpoint.GENERATE, true, false), NO_TIMEOUT_EXPECTED);

            assertThat(failure().side()).isEqualTo(Side.DECODE);
            assertThat(observer.events).containsExactly("stream start", "frame " + frame("one"),
                    "frame " + frame("two"), "frame " + frame("three"), "frame " + frame("four"),
                    "failure UNREACHABLE");
        }
    }

    @Test
    void aPrefillFailureBeforeTheDecodesFirstFrameFailsTheStream() throws Exception {
        var decodeSentItsHead = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            decodeSentItsHead.await(2, SECONDS);
            exchange.respond(500, "text/plain", "no KV for you");
        });
        var decode = stub(exchange -> {
            exchange.startEventStream();
            decodeSentItsHead.countDown();
            exchange.hangUntilClosed();
        });

        generate(prefill, decode, request(Endpoint.GENERATE, true, false));

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.PREFILL);
        assertThat(failure.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(observer.events).containsExactly("failure UPSTREAM_ERROR");
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    @Test
    void aPrefillFailureAfterTheDecodesFirstFrameIsIgnored() throws Exception {
        var prefillFailed = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            eventually(() -> observer.frames.size() == 1);
            exchange.respond(500, "text/plain", "too late to matter");
            prefillFailed.countDown();
        });
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send(frame("one"));
            prefillFailed.await(2, SECONDS);
            exchange.send(frame("two") + "data: [DONE]\n\n");
        });

        generate(prefill, decode, request(Endpoint.GENERATE, true, false));

        assertThat(outcome()).isInstanceOf(StreamEnd.class);
        assertThat(observer.frames).containsExactly(frame("one"), frame("two"), "data: [DONE]\n\n");
    }

    @Test
    void cancellingMidStreamClosesBothServersConnectionsAndSilencesTheObserver() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send(frame("one"));
            exchange.hangUntilClosed();
        });

        GenerationCall call = generate(prefill, decode, request(Endpoint.GENERATE, true, false));
        await().atMost(EVENTUALLY).until(() -> observer.frames.size() == 1);
        call.cancel();

        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(observer.events).containsExactly("stream start", "frame " + frame("one"));
    }

    @Test
    void cancellingClosesConnectionsTakenFromThePool() throws Exception {
        var requests = new AtomicInteger();
        StubServer.Script answerTheWarmUpThenHang = exchange -> {
            if (requests.incrementAndGet() <= 2) {
                exchange.respond(200, JSON_TYPE, "{}");
            } else {
                exchange.hangUntilClosed();
            }
        };
        var prefill = stub(answerTheWarmUpThenHang);
        var decode = stub(answerTheWarmUpThenHang);
        // One connection per server, so the second generation must wait for the warm-up's and reuse it.
        try (var oneConnectionPerServer = BackendHttpClients.start(new BackendClientSettings(Duration.ofSeconds(5), 1, 2))) {
            var warmUp = new RecordingObserver();
            generate(oneConnectionPerServer, prefill.url(), decode.url(), request(Endpoint.GENERATE, false, true),
                    NO_TIMEOUT_EXPECTED, warmUp);
            assertThat(warmUp.outcome).succeedsWithin(EVENTUALLY).isInstanceOf(Response.class);

            GenerationCall call = generate(oneConnectionPerServer, prefill.url(), decode.url(),
                    request(Endpoint.GENERATE, false, false), NO_TIMEOUT_EXPECTED, observer);
            Received warmUpToPrefill = prefill.nextRequest();
            Received warmUpToDecode = decode.nextRequest();
            Received toPrefill = prefill.nextRequest();
            Received toDecode = decode.nextRequest();
            call.cancel();

            assertThat(toPrefill.clientPort()).isEqualTo(warmUpToPrefill.clientPort());
            assertThat(toDecode.clientPort()).isEqualTo(warmUpToDecode.clientPort());
            assertThat(toPrefill.connectionClosed()).succeedsWithin(EVENTUALLY);
            assertThat(toDecode.connectionClosed()).succeedsWithin(EVENTUALLY);
            assertThat(observer.events).isEmpty();
        }
    }

    @Test
    void bothLegsFailingAtOnceEndEachGenerationExactlyOnce() throws Exception {
        String prefillUrl = StubServer.unusedUrl();
        String decodeUrl = StubServer.unusedUrl();
        List<RecordingObserver> observers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            var each = new RecordingObserver();
            observers.add(each);
            generate(prefillUrl, decodeUrl, request(Endpoint.GENERATE, false, false), NO_TIMEOUT_EXPECTED, each);
        }

        for (RecordingObserver each : observers) {
            assertThat(each.outcome).succeedsWithin(EVENTUALLY).isInstanceOf(Failure.class);
        }
        // Give any second terminal callback the time to show up.
        await().during(Duration.ofMillis(300)).atMost(PROMPTLY)
                .until(() -> observers.stream().allMatch(each -> each.terminalCalls.get() == 1));
    }

    // ---- back-pressure

    /**
     * A client that does not keep up pauses the generation: mini-lb reads about one read window (64 KiB) more, then
     * the decode's writes block on TCP, so a stream costs that window rather than what the decode can produce.
     */
    @Test
    void aPausedStreamStopsReadingFromTheDecodeUntilResumed() throws Exception {
        int frameCount = 8 * 1024;
        String frame = "data: {\"text\":\"" + "x".repeat(1000) + "\"}\n\n";
        var written = new AtomicLong();
        var prefill = stub(exchange -> exchange.respond(200, "text/event-stream", "data: [DONE]\n\n"));
        var decode = stub(exchange -> {
            exchange.startEventStream();
            for (int i = 0; i < frameCount; i++) {
                exchange.send(frame);
                written.addAndGet(frame.length());
            }
            exchange.send("data: [DONE]\n\n");
        });

        GenerationCall call = generate(prefill, decode, request(Endpoint.GENERATE, true, false));
        call.pause();
        var lastSeen = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> written.get() > 0 && lastSeen.getAndSet(written.get()) == written.get());

        assertThat(written.get()).as("the decode's writes block").isLessThan((long) frameCount * frame.length());
        assertThat(observer.frames.size()).as("frames read while paused")
                .isLessThanOrEqualTo(2 * 64 * 1024 / frame.length());
        call.resume();
        assertThat(observer.outcome).succeedsWithin(Duration.ofSeconds(30)).isInstanceOf(StreamEnd.class);
        assertThat(observer.frames).hasSize(frameCount + 1);
    }

    // ---- helpers

    private GenerationRequest request(Endpoint endpoint, boolean stream, boolean returnLogprob) {
        return TestGenerations.request(endpoint, stream, returnLogprob, renders::incrementAndGet);
    }

    private GenerationCall generate(StubServer prefill, StubServer decode, GenerationRequest request) {
        return generate(prefill.url(), decode.url(), request, NO_TIMEOUT_EXPECTED);
    }

    private GenerationCall generate(String prefillUrl, String decodeUrl, GenerationRequest request, Duration timeout) {
        return generate(prefillUrl, decodeUrl, request, timeout, observer);
    }

    private static GenerationCall generate(
            String prefillUrl, String decodeUrl, GenerationRequest request, Duration timeout, RecordingObserver observer) {
        return generate(client, prefillUrl, decodeUrl, request, timeout, observer);
    }

    private static GenerationCall generate(CloseableHttpAsyncClient client, String prefillUrl, String decodeUrl,
            GenerationRequest request, Duration timeout, RecordingObserver observer) {
        return TestGenerations.generate(client, prefillUrl, decodeUrl, request, timeout, ResponseLimits.defaults(),
                new MemoryBudget(Long.MAX_VALUE), observer);
    }

    private RecordingObserver.Outcome outcome() {
        assertThat(observer.outcome).succeedsWithin(EVENTUALLY);
        return observer.outcome.join();
    }

    private GenerationFailure failure() {
        assertThat(outcome()).isInstanceOf(Failure.class);
        return ((Failure) observer.outcome.join()).failure();
    }

    private static String frame(String text) {
        return "data: {\"text\":\"" + text + "\"}\n\n";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the condition comes true within 2 s; for stubs, which report rather than assert. */
    private static boolean eventually(BooleanSupplier condition) {
        try {
            await().atMost(Duration.ofSeconds(2)).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
